#pragma once
// Conversions between nlohmann::json and Python objects, in both directions.
//
// Python -> JSON accepts what `json.dumps` accepts (None, bool, int, float, str, dicts with
// string keys, lists and tuples), plus anything with `__index__` (numpy integers) and Mappings.
// It refuses, with a clean Python exception naming where the value stood (`$["pain"][0]`):
//   - TypeError:  bytes, sets, arbitrary objects, non-string dict keys;
//   - ValueError: NaN and infinite floats, integers outside 64 bits, nesting deeper than the
//                 limit (which also stops self-referencing containers).
// JSON -> Python is bounded by a depth limit as well, so no value can exhaust the C stack.

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.hpp"
#include "compact_text.hpp"

namespace knead::python {

namespace py = pybind11;

/// Default bound on nesting when converting from Python: the same as knead's JSON parser
/// (`ParseLimits::max_depth`), so a dict and its JSON text are accepted alike.
inline constexpr std::size_t kDefaultMaxDepth = 128;
/// Bound on nesting when converting to Python.
inline constexpr std::size_t kOutputMaxDepth = 1024;

namespace detail {

// Where a value stands in the document being converted; rendered (`$["pain"][0]`) only when an
// error is raised, so that converting a valid document allocates no path strings.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // object member (when `member`), or
  bool member = false;
  std::size_t index = 0;              // array element
  const std::string* root = nullptr;  // set on the root only

  /// `$["pain"][0]`; a long path keeps its first and last steps: `$[0][0]...[0][0]`.
  [[nodiscard]] std::string str() const {
    std::vector<const Path*> steps;
    const Path* p = this;
    for (; p->root == nullptr; p = p->parent) steps.push_back(p);
    std::string out = *p->root;
    constexpr std::size_t kHead = 6;
    constexpr std::size_t kTail = 8;
    const std::size_t n = steps.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (n > kHead + kTail && i == kHead) {
        out += "...";
        i = n - kTail;
      }
      const Path& step = *steps[n - 1 - i];
      if (!step.member) {
        out += "[" + std::to_string(step.index) + "]";
        continue;
      }
      out += "[\"";
      for (char c : step.key) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += "\"]";
    }
    return out;
  }
};

inline std::string type_name(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

inline std::string short_repr(py::handle value) {
  std::string r = py::repr(value).cast<std::string>();
  return knead::detail::utf8_truncate(r, 40);
}

// collections.abc.Mapping, looked up once. The reference is deliberately never released: a
// static py::object would be destroyed after the interpreter is gone.
inline py::handle mapping_type() {
  static const py::handle type = py::object(py::module_::import("collections.abc").attr("Mapping")).release();
  return type;
}

// The UTF-8 of a Python str, valid while the str lives; raises UnicodeEncodeError (a
// ValueError) for lone surrogates.
inline std::string_view utf8_view(py::handle text) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();
  return {data, static_cast<std::size_t>(size)};
}

// A UTF-8 copy of a Python str; raises UnicodeEncodeError (a ValueError) for lone surrogates.
inline std::string utf8(py::handle text) { return std::string(utf8_view(text)); }

// Walks a Python value, checking it as JSON, and tells `out` what it finds: null(), boolean(b),
// integer(i), unsigned_integer(u), number(d), string(utf8), begin_array(n) ... end_array(),
// begin_object(is_dict), then key(utf8) before each member's value, end_object(). A DomBuilder
// builds the document, a TextWriter (compact_text.hpp) writes its text: one walk, so both
// accept and refuse alike.
template <class Out>
void walk_integer(py::handle value, const Path& path, Out& out) {
  // Reports overflow instead of raising, so huge integers get a clear message.
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow == 0) return out.integer(static_cast<std::int64_t>(v));
  if (overflow > 0) {
    const unsigned long long u = PyLong_AsUnsignedLongLong(value.ptr());
    if (!(u == static_cast<unsigned long long>(-1) && PyErr_Occurred())) {
      return out.unsigned_integer(static_cast<std::uint64_t>(u));
    }
    PyErr_Clear();
  }
  throw py::value_error(path.str() + ": integer " + short_repr(value) + " does not fit in 64 bits");
}

template <class Out>
void walk_python(py::handle value, std::size_t depth, std::size_t max_depth, const Path& path, Out& out) {
  PyObject* const obj = value.ptr();
  if (obj == Py_None) return out.null();
  if (PyBool_Check(obj)) return out.boolean(obj == Py_True);
  if (PyLong_Check(obj)) return walk_integer(value, path, out);
  if (PyFloat_Check(obj)) {
    const double d = PyFloat_AsDouble(obj);
    if (!std::isfinite(d)) {
      throw py::value_error(path.str() + ": " + short_repr(value) +
                            " is not a JSON number (NaN and infinities are not allowed)");
    }
    return out.number(d);
  }
  if (PyUnicode_Check(obj)) return out.string(utf8_view(value));
  if (PyBytes_Check(obj) || PyByteArray_Check(obj)) {
    throw py::type_error(path.str() + ": bytes are not JSON; decode them to str first");
  }

  const bool is_dict = PyDict_Check(obj);
  const bool is_list = PyList_Check(obj) || PyTuple_Check(obj);
  bool is_mapping = is_dict;
  if (!is_dict && !is_list) {
    const int r = PyObject_IsInstance(obj, mapping_type().ptr());
    if (r < 0) throw py::error_already_set();
    is_mapping = r == 1;
  }
  if (is_list || is_mapping) {
    if (depth >= max_depth) {
      throw py::value_error(path.str() + ": nesting deeper than the limit of " + std::to_string(max_depth) +
                            " levels (or a container that contains itself)");
    }
  }
  if (is_list) {
    out.begin_array(static_cast<std::size_t>(PySequence_Fast_GET_SIZE(obj)));
    // The size is read again on every step and each item is held by a new reference: an item
    // whose conversion runs Python code (a custom __index__) cannot free what is converted.
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(obj); ++i) {
      const py::object item = py::reinterpret_borrow<py::object>(PySequence_Fast_GET_ITEM(obj, i));
      const Path inner{&path, {}, false, static_cast<std::size_t>(i), nullptr};
      walk_python(item, depth + 1, max_depth, inner, out);
    }
    return out.end_array();
  }
  if (is_mapping) {
    out.begin_object(is_dict);
    auto add = [&](py::handle key, py::handle item) {
      if (!PyUnicode_Check(key.ptr())) {
        throw py::type_error(path.str() + ": keys must be str, not " + type_name(key) + " (" + short_repr(key) + ")");
      }
      const Path inner{&path, utf8_view(key), true, 0, nullptr};
      out.key(inner.key);
      walk_python(item, depth + 1, max_depth, inner, out);
    };
    if (is_dict) {
      // Walked in place, each key and value held by a new reference while it is converted:
      // converting a value may run Python code that changes the dict, which PyDict_Next
      // survives (it may then skip or repeat entries, never read freed memory).
      Py_ssize_t pos = 0;
      PyObject* key = nullptr;
      PyObject* item = nullptr;
      while (PyDict_Next(obj, &pos, &key, &item)) {
        const py::object held_key = py::reinterpret_borrow<py::object>(key);
        const py::object held_item = py::reinterpret_borrow<py::object>(item);
        add(held_key, held_item);
      }
    } else {
      // Another Mapping: through its items().
      const py::object items = py::reinterpret_borrow<py::object>(value).attr("items")();
      for (const py::handle pair : items) {
        if (!PyTuple_Check(pair.ptr()) || PyTuple_GET_SIZE(pair.ptr()) != 2) {
          throw py::type_error(path.str() + ": items() of " + type_name(value) + " must yield (key, value) pairs");
        }
        add(PyTuple_GET_ITEM(pair.ptr(), 0), PyTuple_GET_ITEM(pair.ptr(), 1));
      }
    }
    return out.end_object();
  }
  if (PyIndex_Check(obj)) {
    // numpy integers and other int-like objects.
    const py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(obj));
    if (!index) throw py::error_already_set();
    return walk_integer(index, path, out);
  }
  throw py::type_error(path.str() + ": object of type " + type_name(value) + " is not JSON serializable");
}

// Builds the document a walk describes.
template <class Json>
class DomBuilder {
 public:
  void null() { place(Json(nullptr)); }
  void boolean(bool b) { place(Json(b)); }
  void integer(std::int64_t v) { place(Json(v)); }
  void unsigned_integer(std::uint64_t v) { place(Json(v)); }
  void number(double d) { place(Json(d)); }
  void string(std::string_view s) { place(Json(std::string(s))); }
  void begin_array(std::size_t size) {
    Json& array = place(Json::array());
    array.template get_ref<typename Json::array_t&>().reserve(size);
    open_.push_back(&array);
  }
  void end_array() { open_.pop_back(); }
  void begin_object(bool /*is_dict*/) { open_.push_back(&place(Json::object())); }
  void key(std::string_view k) { key_.assign(k); }
  void end_object() { open_.pop_back(); }

  [[nodiscard]] Json take() { return std::move(root_); }

 private:
  // The containers being filled, innermost last. A pointer stays valid while its container is
  // open: only the innermost one grows.
  Json& place(Json value) {
    if (open_.empty()) return root_ = std::move(value);
    Json& into = *open_.back();
    if (into.is_array()) {
      into.push_back(std::move(value));
      return into.back();
    }
    return into[std::move(key_)] = std::move(value);
  }

  Json root_;
  std::vector<Json*> open_;
  std::string key_;
};

template <class Json>
py::object to_python(const Json& value, std::size_t depth) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(value.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(value.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(value.template get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(value.template get<double>());
    case nlohmann::json::value_t::string: {
      const auto& s = value.template get_ref<const std::string&>();
      // Strings built by evaluation (e.g. `substr`) could split a UTF-8 sequence: replace
      // rather than fail.
      PyObject* str = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
      if (str == nullptr) throw py::error_already_set();
      return py::reinterpret_steal<py::object>(str);
    }
    case nlohmann::json::value_t::binary: {
      const auto& b = value.get_binary();
      return py::bytes(reinterpret_cast<const char*>(b.data()), b.size());
    }
    case nlohmann::json::value_t::array: {
      if (depth >= kOutputMaxDepth) throw py::value_error("JSON value nested too deeply to convert to Python");
      py::list out(value.size());
      std::size_t i = 0;
      for (const auto& item : value) out[i++] = to_python(item, depth + 1);
      return std::move(out);
    }
    case nlohmann::json::value_t::object: {
      if (depth >= kOutputMaxDepth) throw py::value_error("JSON value nested too deeply to convert to Python");
      py::dict out;
      for (auto it = value.begin(); it != value.end(); ++it) out[py::str(it.key())] = to_python(it.value(), depth + 1);
      return std::move(out);
    }
  }
  return py::none();
}

}  // namespace detail

/// A Python value as JSON. Raises TypeError or ValueError (see the file comment); `what` names
/// the value in messages (e.g. "patient").
template <class Json = nlohmann::json>
Json to_json(py::handle value, const std::string& what = "$", std::size_t max_depth = kDefaultMaxDepth) {
  const detail::Path root{nullptr, {}, false, 0, &what};
  detail::DomBuilder<Json> builder;
  detail::walk_python(value, 0, max_depth, root, builder);
  return builder.take();
}

/// A Python value as compact JSON text, appended to `out`: the text of the document to_json
/// makes, with its checks and errors. False, with `out` as it was, when the value holds a
/// Mapping other than a dict (use to_json for those). Much cheaper than to_json: no allocation
/// per value, so a batch converts its patients under the GIL this way and parses the text on
/// its threads.
inline bool to_json_text(py::handle value, const std::string& what, std::string& out,
                         std::size_t max_depth = kDefaultMaxDepth) {
  const detail::Path root{nullptr, {}, false, 0, &what};
  const std::size_t start = out.size();
  detail::TextWriter writer(out);
  try {
    detail::walk_python(value, 0, max_depth, root, writer);
  } catch (const detail::NotPlainJson&) {
    out.resize(start);
    return false;
  } catch (...) {
    out.resize(start);
    throw;
  }
  return true;
}

/// A JSON value as Python objects (dicts keep the JSON's key order).
template <class Json>
py::object to_python(const Json& value) {
  return detail::to_python(value, 0);
}

}  // namespace knead::python
