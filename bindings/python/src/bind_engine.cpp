// RuleSet.recommend and RuleSet.recommend_many: patients in, knead.Recommendation out. The
// engine runs without the GIL; a batch runs on C++ threads sharing one immutable Engine.

#include "background_free.hpp"
#include "bindings.hpp"
#include "compact_text.hpp"
#include "convert.hpp"

#include <knead/batch.hpp>

#include <pybind11/stl.h>

#include <unistd.h>

#include <knead/cds_hooks.hpp>
#include <knead/document.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace knead::python {
namespace {

// A patient as received: JSON text (parsed later, without the GIL) or a document already
// converted from Python objects (which needs the GIL). A batch converts a dict to text instead,
// much cheaper under the GIL, and reads that back as the dict's document on its threads.
struct PatientInput {
  bool is_text = false;
  bool converted = false;  // `text` is a dict's, to read as its document
  std::string text;
  nlohmann::json document;
  std::string name;  // names the patient in messages: "patient", "patients[3]"
  std::string file;  // and as a file in parse errors: "<patient>", "patients[3]"
  std::optional<Patient> ready;  // a knead.Patient given as such
  bool fhir = false;             // the document is FHIR (a Bundle or a resource) or a CDS Hooks request
};

PatientInput convert_input(py::handle value, std::string name, bool dict_as_text) {
  PatientInput in;
  in.name = std::move(name);
  in.file = in.name == "patient" ? "<patient>" : in.name;
  if (PyUnicode_Check(value.ptr())) {
    in.is_text = true;
    in.text = detail::utf8(value);
  } else if (PyDict_Check(value.ptr()) || PyObject_IsInstance(value.ptr(), detail::mapping_type().ptr()) == 1) {
    if (dict_as_text && PyDict_Check(value.ptr()) && to_json_text(value, in.name, in.text)) {
      in.converted = true;
    } else {
      in.document = to_json(value, in.name);
      in.fhir = is_fhir_resource(in.document) || is_cds_hooks_request(in.document);
    }
  } else if (py::isinstance<Patient>(value)) {
    in.ready = value.cast<Patient>();
  } else {
    if (PyErr_Occurred()) throw py::error_already_set();
    throw py::type_error(in.name + ": a patient must be a dict or a JSON string (or a knead.Patient), not " +
                         detail::type_name(value));
  }
  return in;
}

// A patient that cannot be converted (a float NaN, bytes, a set, a lone surrogate, too deep) is a
// bad patient like any other: knead.PatientError, not the ValueError or TypeError of the
// conversion. Other Python errors (KeyboardInterrupt, MemoryError, an error raised by a
// Mapping's own code) pass through.
PatientInput read_input(py::handle value, std::string name, bool dict_as_text = false) {
  try {
    return convert_input(value, std::move(name), dict_as_text);
  } catch (const py::type_error& e) {
    throw PatientError("patient.type", "", e.what());
  } catch (const py::value_error& e) {
    throw PatientError("patient.value", "", e.what());
  } catch (py::error_already_set& e) {
    if (e.matches(PyExc_TypeError)) throw PatientError("patient.type", "", py::str(e.value()).cast<std::string>());
    if (e.matches(PyExc_ValueError)) throw PatientError("patient.value", "", py::str(e.value()).cast<std::string>());
    throw;
  }
}

// A dict's text, converted under the GIL, read back as the document the dict converts to.
void read_converted(PatientInput& in) {
  ParseLimits limits;
  limits.max_depth = kDefaultMaxDepth + 1;                     // the conversion checked the depth,
  limits.max_bytes = std::numeric_limits<std::size_t>::max();  // and a dict has no size limit
  in.document = Document::parse_value(in.text, in.file, limits);
  in.text = std::string();
  in.converted = false;
  in.fhir = is_fhir_resource(in.document) || is_cds_hooks_request(in.document);
}

Patient make_patient(PatientInput& in, const RuleSet& rules) {
  if (in.converted) read_converted(in);
  if (in.ready) return *in.ready;
  if (in.fhir) return patient_from_fhir_json(in.document, &rules, "");
  if (in.is_text) return Patient::parse(in.text, in.file);
  return Patient::from_json(std::move(in.document));
}

RecommendOptions options_of(bool explain, bool strict) {
  RecommendOptions o;
  o.explain = explain;
  o.strict = strict;
  return o;
}

// The Python exception for a batch item: `.index` set and the message prefixed with it.
py::object indexed(py::object exc, std::size_t index) {
  exc.attr("index") = index;
  const std::string message = py::str(exc).cast<std::string>();
  const std::string prefix = "patients[" + std::to_string(index) + "]";
  if (message.rfind(prefix, 0) != 0) exc.attr("args") = py::make_tuple(prefix + ": " + message);
  return exc;
}

[[noreturn]] void raise(const py::object& exc) {
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

// The current Python-level exception of a failed conversion, as an object.
py::object current_python_error(const py::builtin_exception& e) {
  e.set_error();
  py::error_already_set fetched;
  return fetched.value();
}

// The result object, keeping what explain() needs of the patient: the text it was parsed
// from, or the dict's document written compactly (much cheaper to keep and free than the
// document); a patient read from FHIR, given as a knead.Patient or carrying unresolved entries
// is kept as it is.
std::shared_ptr<PyRecommendation> make_result(Recommendation r, Patient p, PatientInput& in, const Engine& engine,
                                              const RecommendOptions& options) {
  std::unique_ptr<PyRecommendation> result;
  if (!in.ready && !in.fhir && p.unresolved().empty()) {
    if (in.is_text) {
      result = std::make_unique<PyRecommendation>(std::move(r), std::move(in.text), true, std::move(in.file), engine,
                                                  options);
    } else {
      std::string text;
      text.reserve(512);  // a typical patient's text fits
      if (write_compact_text(p.document(), text)) {
        result =
            std::make_unique<PyRecommendation>(std::move(r), std::move(text), false, std::string(), engine, options);
      }
    }
  }
  if (!result) result = std::make_unique<PyRecommendation>(std::move(r), std::move(p), engine, options);
  return freed_in_background(std::move(result));
}

std::shared_ptr<PyRecommendation> recommend_one(const PyRuleSet& self, const py::object& patient, bool explain,
                                                bool strict) {
  PatientInput in = read_input(patient, "patient");
  const RecommendOptions options = options_of(explain, strict);
  py::gil_scoped_release release;
  Patient p = make_patient(in, self.rules());
  Recommendation r = self.engine.recommend(p, options);
  return make_result(std::move(r), std::move(p), in, self.engine, options);
}

// One patient of a batch, from its conversion to its result. The calling thread fills `input`
// and `failed` (with the GIL); a worker fills `result` or `error` (without it).
struct BatchItem {
  PatientInput input;
  py::object failed;  // the conversion's error, or null
  bool skip = false;  // set with `failed`: workers read this, never the Python object
  std::shared_ptr<PyRecommendation> result;
  std::exception_ptr error;
};

// Patients per worker in one chunk of a batch: enough that handing a chunk to the workers costs
// little next to computing it, few enough that the last chunk keeps every worker busy.
constexpr std::size_t kChunkPerWorker = 64;

// The pool's threads are started once and kept for later calls. A call that finds it busy
// (another Python thread's batch, or a batch started from inside this one's iterable) starts a
// pool of its own rather than wait: a batch holds the pool while it runs Python code, which may
// be waiting for that very other batch.
struct SharedPool {
  std::mutex mutex;
  std::unique_ptr<WorkerPool> pool;
  std::size_t workers = 0;
  pid_t process = 0;  // the process whose threads the pool's are

  WorkerPool& get(std::size_t wanted) {
    // A forked child (multiprocessing) has none of its parent's threads: it starts its own, and
    // abandons the parent's pool, whose destructor would wait for threads that do not exist.
    if (pool && process != getpid()) (void)pool.release();
    if (!pool || workers != wanted) {
      pool.reset();
      pool = std::make_unique<WorkerPool>(wanted);
      workers = wanted;
      process = getpid();
    }
    return *pool;
  }
};

// A batch flows through the pool in chunks, like the command line's: while the workers compute
// one chunk, the calling thread (holding the GIL) converts the next chunk's patients and hands
// out the previous chunk's results, then joins the workers (without the GIL). Only the Python
// objects are made under the GIL; parsing, checking and recommending run on the workers.
py::object recommend_many(const PyRuleSet& self, const py::object& patients, unsigned threads, bool explain,
                          bool strict, const std::string& on_error) {
  if (on_error != "raise" && on_error != "return") {
    throw py::value_error("on_error must be 'raise' or 'return', not '" + on_error + "'");
  }
  const bool keep_errors = on_error == "return";
  if (PyUnicode_Check(patients.ptr()) || PyBytes_Check(patients.ptr()) ||
      PyObject_IsInstance(patients.ptr(), detail::mapping_type().ptr()) == 1) {
    throw py::type_error("patients must be an iterable of patients (dicts or JSON strings), not " +
                         detail::type_name(patients));
  }
  if (PyErr_Occurred()) throw py::error_already_set();
  const py::object iterator = py::reinterpret_steal<py::object>(PyObject_GetIter(patients.ptr()));
  if (!iterator) throw py::error_already_set();
  const Py_ssize_t hint = PyObject_LengthHint(patients.ptr(), 0);
  if (hint < 0) throw py::error_already_set();

  std::size_t workers = threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : threads;
  workers = std::min(workers, WorkerPool::kMaxThreads);
  if (hint > 0) workers = std::min(workers, static_cast<std::size_t>(hint));
  const std::size_t chunk = kChunkPerWorker * workers;
  const RecommendOptions options = options_of(explain, strict);
  const Engine& engine = self.engine;

  // Reads the next chunk of patients, with the GIL. In "raise" mode it stops after a patient
  // that cannot be converted: nothing after the first bad patient is needed.
  bool exhausted = false;
  std::size_t read = 0;
  auto fill = [&](std::vector<BatchItem>& items) {
    items.clear();
    while (!exhausted && items.size() < chunk) {
      if (read % 256 == 255 && PyErr_CheckSignals() != 0) throw py::error_already_set();  // Ctrl-C
      const py::object item = py::reinterpret_steal<py::object>(PyIter_Next(iterator.ptr()));
      if (!item) {
        if (PyErr_Occurred()) throw py::error_already_set();
        exhausted = true;
        break;
      }
      const std::size_t i = read++;
      BatchItem& slot = items.emplace_back();
      try {
        slot.input = read_input(item, "patients[" + std::to_string(i) + "]", true);
      } catch (py::error_already_set& e) {
        if (!keep_errors) throw;
        slot.failed = indexed(e.value(), i);
      } catch (const py::builtin_exception& e) {
        if (!keep_errors) throw;
        slot.failed = indexed(current_python_error(e), i);
      } catch (const Error&) {
        slot.failed = indexed(error_object(std::current_exception()), i);
        exhausted = !keep_errors;
      }
      slot.skip = static_cast<bool>(slot.failed);
    }
    return !items.empty();
  };

  std::atomic<bool> interrupted{false};
  const std::thread::id caller = std::this_thread::get_id();
  auto last_check = std::chrono::steady_clock::now();
  // The calling thread is one of the pool's workers. Between its patients it looks for a Ctrl-C
  // every 50 ms (it needs the GIL for that); once one is seen, every worker skips the patients
  // left.
  auto work = [&](BatchItem& item) noexcept {
    if (interrupted.load(std::memory_order_relaxed)) return;
    if (std::this_thread::get_id() == caller &&
        std::chrono::steady_clock::now() - last_check > std::chrono::milliseconds(50)) {
      last_check = std::chrono::steady_clock::now();
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;  // the error stays set for below
        return;
      }
    }
    if (item.skip) return;
    try {
      Patient p = make_patient(item.input, engine.rules());
      Recommendation r = engine.recommend(p, options);
      item.result = make_result(std::move(r), std::move(p), item.input, engine, options);
    } catch (...) {
      item.error = std::current_exception();
    }
    item.input = PatientInput{};  // free the text early
  };

  // Hands out a computed chunk's results, in order, with the GIL. In "raise" mode the first
  // error is raised.
  py::list out;
  std::size_t delivered = 0;
  auto deliver = [&](std::vector<BatchItem>& items) {
    for (BatchItem& item : items) {
      const std::size_t i = delivered++;
      py::object value;
      if (item.failed) {
        value = std::move(item.failed);
      } else if (item.error) {
        value = indexed(error_object(item.error), i);
      } else {
        value = py::cast(std::move(item.result));
      }
      if (!keep_errors && !item.result) raise(value);
      if (PyList_Append(out.ptr(), value.ptr()) != 0) throw py::error_already_set();
    }
    items.clear();
  };

  static SharedPool shared;
  const std::unique_lock<std::mutex> lock(shared.mutex, std::try_to_lock);
  std::unique_ptr<WorkerPool> own;
  if (!lock.owns_lock()) own = std::make_unique<WorkerPool>(workers);
  WorkerPool& pool = own ? *own : shared.get(workers);

  std::vector<BatchItem> chunks[2];
  std::vector<BatchItem>* computing = &chunks[0];
  std::vector<BatchItem>* next = &chunks[1];
  auto start = [&](std::vector<BatchItem>* items) {
    pool.start(items->size(), [items, &work](std::size_t i) { work((*items)[i]); });
  };
  bool running = false;  // the pool holds references to *computing
  auto wait = [&] {
    if (!running) return;
    running = false;
    py::gil_scoped_release release;
    pool.wait();
  };
  try {
    if (fill(*computing)) {
      start(computing);
      running = true;
      for (;;) {
        const bool more = fill(*next);
        wait();
        if (interrupted) throw py::error_already_set();  // KeyboardInterrupt, raised by the signal handler
        if (more) {
          start(next);
          running = true;
        }
        deliver(*computing);
        if (!more) break;
        std::swap(computing, next);
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      }
    }
  } catch (...) {
    wait();  // the workers hold references to the chunk they compute
    throw;
  }
  // A Ctrl-C pressed while the batch ran is raised now (KeyboardInterrupt).
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  return wrap_list("_result_list", out);
}

}  // namespace

void bind_engine(py::module_&, RuleSetClass& cls) {
  cls.def("recommend", &recommend_one, py::arg("patient"), py::kw_only(), py::arg("explain") = false,
          py::arg("strict") = false, R"pbdoc(
Recommends for one patient. The engine runs without the GIL.

Args:
    patient: a dict (``{"conditions": ["fibromyalgia"], ...}``) or its JSON text.
    explain: keep the trace of every rule (``Recommendation.trace``).
    strict: make input that cannot be read (unknown keys, ids, codes, systems, sites) a
        PatientError instead of status ``"review"``.

Returns:
    A Recommendation.

Raises:
    PatientError: a wrong type or out-of-range value (``.field`` names it), or in strict mode
        input that cannot be read. Also a patient that cannot be converted to JSON: neither a dict
        nor a str, or holding bytes, sets, non-str keys or other objects (code
        ``patient.type``); NaN or infinite floats, integers beyond 64 bits, lone surrogates,
        nesting deeper than 128 levels (code ``patient.value``).
    ParseError: the JSON text is malformed or nests too deeply.
)pbdoc");
  cls.def("recommend_many", &recommend_many, py::arg("patients"), py::arg("threads") = 0, py::kw_only(),
          py::arg("explain") = false, py::arg("strict") = false, py::arg("on_error") = "raise", R"pbdoc(
Recommends for many patients on C++ threads sharing this rule set's engine. The patients flow
through in chunks: while the threads compute one chunk (without the GIL), the calling thread
converts the next one and hands out the results of the last. Results are in the order of the
patients and equal to calling ``recommend`` on each.

Args:
    patients: an iterable of patients (dicts or JSON strings).
    threads: number of threads; 0 uses every core (at most 256, and never more than patients).
    explain: keep each result's trace.
    strict: make input that cannot be read an error instead of status ``"review"``.
    on_error: ``"raise"`` (default) stops at the first bad patient, in order, and raises its
        error (the iterable is not read much further); ``"return"`` puts the exception object in
        that patient's place instead. Either way the exception's ``index`` is the patient's
        position.

Returns:
    A list (``knead.ResultList``, which shows as a table in notebooks) of Recommendation.

Raises:
    The same errors as ``recommend``, with ``index`` set; KeyboardInterrupt when Ctrl-C is
    pressed (the run stops within a fraction of a second); ValueError for a bad ``on_error``;
    TypeError when ``patients`` is a str, bytes or a dict rather than an iterable of patients.
)pbdoc");
}

}  // namespace knead::python
