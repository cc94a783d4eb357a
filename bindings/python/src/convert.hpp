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
#include <vector>
#include "base/utf8.hpp"

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
  const std::string* key = nullptr;   // object member, or
  std::size_t index = 0;              // array element when key is null
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
      if (step.key == nullptr) {
        out += "[" + std::to_string(step.index) + "]";
        continue;
      }
      out += "[\"";
      for (char c : *step.key) {
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

// A UTF-8 copy of a Python str; raises UnicodeEncodeError (a ValueError) for lone surrogates.
inline std::string utf8(py::handle text) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();
  return std::string(data, static_cast<std::size_t>(size));
}

template <class Json>
Json integer_from_python(py::handle value, const Path& path) {
  // Reports overflow instead of raising, so huge integers get a clear message.
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow == 0) return Json(static_cast<std::int64_t>(v));
  if (overflow > 0) {
    const unsigned long long u = PyLong_AsUnsignedLongLong(value.ptr());
    if (!(u == static_cast<unsigned long long>(-1) && PyErr_Occurred())) return Json(static_cast<std::uint64_t>(u));
    PyErr_Clear();
  }
  throw py::value_error(path.str() + ": integer " + short_repr(value) + " does not fit in 64 bits");
}

template <class Json>
Json from_python(py::handle value, std::size_t depth, std::size_t max_depth, const Path& path) {
  PyObject* const obj = value.ptr();
  if (obj == Py_None) return Json(nullptr);
  if (PyBool_Check(obj)) return Json(obj == Py_True);
  if (PyLong_Check(obj)) return integer_from_python<Json>(value, path);
  if (PyFloat_Check(obj)) {
    const double d = PyFloat_AsDouble(obj);
    if (!std::isfinite(d)) {
      throw py::value_error(path.str() + ": " + short_repr(value) +
                            " is not a JSON number (NaN and infinities are not allowed)");
    }
    return Json(d);
  }
  if (PyUnicode_Check(obj)) return Json(utf8(value));
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
    Json out = Json::array();
    out.template get_ref<typename Json::array_t&>().reserve(static_cast<std::size_t>(PySequence_Fast_GET_SIZE(obj)));
    // The size is read again on every step and each item is held by a new reference: an item
    // whose conversion runs Python code (a custom __index__) cannot free what is converted.
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(obj); ++i) {
      const py::object item = py::reinterpret_borrow<py::object>(PySequence_Fast_GET_ITEM(obj, i));
      const Path inner{&path, nullptr, static_cast<std::size_t>(i), nullptr};
      out.push_back(from_python<Json>(item, depth + 1, max_depth, inner));
    }
    return out;
  }
  if (is_mapping) {
    Json out = Json::object();
    auto add = [&](py::handle key, py::handle item) {
      if (!PyUnicode_Check(key.ptr())) {
        throw py::type_error(path.str() + ": keys must be str, not " + type_name(key) + " (" + short_repr(key) + ")");
      }
      std::string k = utf8(key);
      const Path inner{&path, &k, 0, nullptr};
      Json converted = from_python<Json>(item, depth + 1, max_depth, inner);
      out[std::move(k)] = std::move(converted);
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
    return out;
  }
  if (PyIndex_Check(obj)) {
    // numpy integers and other int-like objects.
    const py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(obj));
    if (!index) throw py::error_already_set();
    return integer_from_python<Json>(index, path);
  }
  throw py::type_error(path.str() + ": object of type " + type_name(value) + " is not JSON serializable");
}

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
  const detail::Path root{nullptr, nullptr, 0, &what};
  return detail::from_python<Json>(value, 0, max_depth, root);
}

/// A JSON value as Python objects (dicts keep the JSON's key order).
template <class Json>
py::object to_python(const Json& value) {
  return detail::to_python(value, 0);
}

}  // namespace knead::python
