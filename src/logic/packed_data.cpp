#include <knead/logic/packed_data.hpp>
#include <knead/logic/error.hpp>

#include "logic/packed_cells.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace knead::logic {

using detail::Cell;

struct PackedData::Impl {
  std::unique_ptr<Cell[]> cells;  // NOLINT(*-avoid-c-arrays): one block, sized exactly
  // The value, unpacked when first asked for (or kept from the start when it holds what the
  // cells do not: binary values).
  mutable std::once_flag unpacked;
  mutable nlohmann::json value;
};

namespace {

// Packs `value` into `out` (cleared first): its cell at index 0. Iterative, breadth first:
// a container's cells are laid out as one run, and what they hold is appended later, so
// deep nesting needs no deep recursion. False when the value holds a binary or discarded
// value, whose contents the cells do not keep.
bool pack(const nlohmann::json& value, std::vector<Cell>& out) {
  bool complete = true;
  out.assign(1, Cell{Cell::null, 0, 0});
  struct Pending {
    const nlohmann::json* value;
    std::size_t at;  // its cell
  };
  std::vector<Pending> queue{{&value, 0}};
  const auto size_of = [](std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) {
      throw Error::limit("limit.size", "a value too large for a logic::PackedData");
    }
    return static_cast<std::uint32_t>(n);
  };
  // Appends `cells` cells; the distance from cell `at` to the first of them.
  const auto append = [&out](std::size_t at, std::size_t cells) {
    const std::size_t first = out.size();
    out.resize(first + cells, Cell{Cell::null, 0, 0});
    return static_cast<std::uint64_t>((first - at) * sizeof(Cell));
  };
  const auto put_text = [&](std::size_t at, const std::string& text) {
    Cell& c = out[at];
    c.tag = Cell::text;
    c.size = size_of(text.size());
    c.payload = 0;
    if (text.size() <= sizeof c.payload) {
      std::memcpy(&c.payload, text.data(), text.size());
      return;
    }
    const std::uint64_t distance = append(at, (text.size() + sizeof(Cell) - 1) / sizeof(Cell));
    out[at].payload = distance;
    std::memcpy(reinterpret_cast<char*>(out.data() + at) + distance, text.data(), text.size());
  };
  for (std::size_t next = 0; next < queue.size(); ++next) {
    const nlohmann::json& v = *queue[next].value;
    const std::size_t at = queue[next].at;
    using t = nlohmann::json::value_t;
    switch (v.type()) {
      case t::null: out[at] = Cell{Cell::null, 0, 0}; break;
      case t::boolean: out[at] = Cell{v.get<bool>() ? Cell::boolean_true : Cell::boolean_false, 0, 0}; break;
      case t::number_integer: {
        const std::int64_t n = v.get<std::int64_t>();
        out[at] = Cell{Cell::integer, 0, 0};
        std::memcpy(&out[at].payload, &n, sizeof n);
        break;
      }
      case t::number_unsigned: out[at] = Cell{Cell::unsigned_integer, 0, v.get<std::uint64_t>()}; break;
      case t::number_float: {
        const double d = v.get<double>();
        out[at] = Cell{Cell::floating, 0, 0};
        std::memcpy(&out[at].payload, &d, sizeof d);
        break;
      }
      case t::string: put_text(at, v.get_ref<const std::string&>()); break;
      case t::array: {
        const auto& items = v.get_ref<const nlohmann::json::array_t&>();
        const std::uint32_t n = size_of(items.size());
        const std::uint64_t distance = n == 0 ? 0 : append(at, n);
        out[at] = Cell{Cell::array, n, distance};
        const std::size_t first = at + distance / sizeof(Cell);
        for (std::size_t i = 0; i < items.size(); ++i) queue.push_back({&items[i], first + i});
        break;
      }
      case t::object: {
        const auto& members = v.get_ref<const nlohmann::json::object_t&>();
        const std::uint32_t n = size_of(members.size());
        const std::uint64_t distance = n == 0 ? 0 : append(at, 2 * std::size_t{n});
        out[at] = Cell{Cell::object, n, distance};
        std::size_t key = at + distance / sizeof(Cell);
        for (const auto& [name, member] : members) {
          put_text(key, name);
          queue.push_back({&member, key + 1});
          key += 2;
        }
        break;
      }
      case t::binary:
        out[at] = Cell{Cell::binary, 0, 0};
        complete = false;
        break;
      case t::discarded:
        out[at] = Cell{Cell::discarded, 0, 0};
        complete = false;
        break;
    }
  }
  return complete;
}

// The value `root` packs (as packed: no binary or discarded value in it). Iterative, as pack().
nlohmann::json unpack(const Cell& root) {
  nlohmann::json out;
  struct Pending {
    const Cell* cell;
    nlohmann::json* into;
  };
  std::vector<Pending> stack{{&root, &out}};
  while (!stack.empty()) {
    const Pending p = stack.back();
    stack.pop_back();
    const Cell& c = *p.cell;
    nlohmann::json& v = *p.into;
    switch (c.tag) {
      case Cell::boolean_false: v = false; break;
      case Cell::boolean_true: v = true; break;
      case Cell::integer: v = c.as_integer(); break;
      case Cell::unsigned_integer: v = c.payload; break;
      case Cell::floating: v = c.as_double(); break;
      case Cell::text: v = std::string(c.text_view()); break;
      case Cell::array: {
        v = nlohmann::json::array_t(c.size);  // sized first: its elements stay where they are
        auto& items = v.get_ref<nlohmann::json::array_t&>();
        for (std::uint32_t i = 0; i < c.size; ++i) stack.push_back({c.first() + i, &items[i]});
        break;
      }
      case Cell::object: {
        v = nlohmann::json::object();
        auto& members = v.get_ref<nlohmann::json::object_t&>();
        const Cell* m = c.first();
        for (std::uint32_t i = 0; i < c.size; ++i, m += 2) {
          nlohmann::json& slot = members.emplace_hint(members.end(), std::string(m[0].text_view()), nullptr)->second;
          stack.push_back({m + 1, &slot});
        }
        break;
      }
      default: break;  // null
    }
  }
  return out;
}

}  // namespace

PackedData::PackedData() : PackedData(nlohmann::json()) {}

PackedData::PackedData(const nlohmann::json& value) {
  auto impl = std::make_shared<Impl>();
  // Packed into one thread's scratch, then copied into a block of the exact size.
  thread_local std::vector<Cell> scratch;
  const bool complete = pack(value, scratch);
  impl->cells = std::make_unique<Cell[]>(scratch.size());  // NOLINT(*-avoid-c-arrays)
  std::memcpy(impl->cells.get(), scratch.data(), scratch.size() * sizeof(Cell));
  packed_size_ = scratch.size() * sizeof(Cell);
  constexpr std::size_t kKeptScratch = 4096;  // cells: a huge value's scratch is not kept
  if (scratch.size() > kKeptScratch) std::vector<Cell>().swap(scratch);
  if (!complete) std::call_once(impl->unpacked, [&] { impl->value = value; });
  root_ = impl->cells.get();
  impl_ = std::move(impl);
}

PackedData PackedData::parse(std::string_view text) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw knead::Error("parse.syntax", "invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  }
  return PackedData(value);
}

const nlohmann::json& PackedData::value() const {
  const Impl& impl = *impl_;
  std::call_once(impl.unpacked, [&impl] { impl.value = unpack(impl.cells[0]); });
  return impl.value;
}

}  // namespace knead::logic
