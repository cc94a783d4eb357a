// knead recommend: one patient, or a batch of them, against a rule set.

#include "cli.hpp"

#include <knead/batch.hpp>
#include <knead/cds_hooks.hpp>
#include <knead/engine.hpp>
#include <knead/patient.hpp>
#include <knead/render.hpp>
#include <knead/renderer.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <new>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string_view>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace knead::cli {
namespace {

// The output formats are the library's table of renderers: help texts, usage and --format all
// list them from it, so a new renderer needs no edit here.
using Format = const Renderer*;

// The formats' names: "text, json or cds-hooks" (or with `separator` "|": "text|json|cds-hooks").
std::string format_names(const char* separator = nullptr) {
  const std::vector<std::string> names = renderer_names();
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += separator != nullptr ? separator : i + 1 == names.size() ? " or " : ", ";
    list += names[i];
  }
  return list;
}

po::options_description visible_options() {
  po::options_description options("Options");
  add_rules_option(options);
  const std::string format_help = "output: " + format_names() + " (see Output formats above)";
  options.add_options()("format,f", po::value<std::string>()->value_name("FORMAT")->default_value("text"),
                        format_help.c_str());
  options.add_options()(
      "input,i", po::value<std::string>()->value_name("KIND")->default_value("patient"),
      "what the input is: patient (a knead patient record) or fhir (a FHIR R4 Bundle, or a CDS Hooks "
      "request whose prefetch is read)")(
      "as-of", po::value<std::string>()->value_name("YYYY-MM-DD"),
      "with --input fhir: the date ages are computed at (default: today)")(
      "explain", "also show every rule: fired or not, and the first false clause of one that did not fire")(
      "strict", "input that cannot be read (unknown keys, ids, codes, sites) is an error (exit 2), not status review")(
      "fail-on-refer", "exit with 1 when the result is a referral (status refer)")(
      "batch", po::value<std::string>()->value_name("IN.jsonl"),
      "read one patient per line ('-' for stdin) and write one JSON result per line")(
      "out,o", po::value<std::string>()->value_name("OUT.jsonl"),
      "with --batch: write the results there, not to stdout")(
      "jobs,j", po::value<int>()->value_name("N")->default_value(0),
      "with --batch: worker threads (0: one per core; at most 256)")(
      "max-input-bytes", po::value<std::size_t>()->value_name("N")->default_value(default_max_input_bytes),
      "the largest patient document, or batch line, read (bytes)")(
      "help,h", "show this help");
  return options;
}

std::string usage() {
  return "knead recommend [PATIENT.json|-] [--rules PATH]... [--format " + format_names("|") +
         "] [--explain]\n"
         "                       [--strict] [--fail-on-refer]\n"
         "                       [--input patient|fhir] [--as-of YYYY-MM-DD]\n"
         "       knead recommend --batch IN.jsonl [--out OUT.jsonl] [-j N] [--rules PATH] [--explain] [--strict]";
}

const char* const about =
    "Recommends massage modalities, self-care and referrals for a patient (a JSON document,\n"
    "see docs/patient-format.md) and says why. Without PATIENT, or with '-', the patient is read from stdin.\n"
    "\n"
    "With --batch, IN.jsonl holds one patient per line. Each non-blank line gives exactly one output\n"
    "line, in input order: the JSON result, or for a line that cannot be used an error record\n"
    "{\"line\": N, \"error\": {\"code\": ..., \"message\": ...}} (N counts every input line from 1); the\n"
    "other lines go on. Blank lines are skipped and give no output line. Progress is shown on stderr\n"
    "when it is a terminal. A line longer than --max-input-bytes gets its error record and ends\n"
    "the batch (exit 2): the rest of the input is not read. With --out, the results go to a\n"
    "temporary file in the same folder that is renamed to OUT.jsonl only when the batch is\n"
    "complete; OUT.jsonl may not be the input.";

const char* const exit_status =
    "Exit status: 0 done; 1 when the result is an error (a safety rule failed, nothing is\n"
    "recommended), when a batch line gave an error record, or for a referral with --fail-on-refer;\n"
    "2 for a usage error, an unreadable or malformed patient.";

// What `about` says, each output format with its line from the renderer table, the exit status.
std::string about_with_formats() {
  std::size_t width = 0;
  for (const auto& r : renderers()) width = std::max(width, std::strlen(r.name));
  std::string out = std::string(about) + "\n\nOutput formats (--format):";
  for (const auto& r : renderers()) {
    out += "\n  " + std::string(r.name) + std::string(width + 2 - std::strlen(r.name), ' ') + r.summary;
  }
  return out + "\n\n" + exit_status;
}

const char* const examples =
    "  knead recommend examples/patients/fibromyalgia_sleep.json\n"
    "  knead recommend --format json --explain examples/patients/knee_osteoarthritis.json\n"
    "  echo '{\"conditions\": [\"sciatica\"]}' | knead recommend --format cds-hooks -\n"
    "  knead recommend --strict --fail-on-refer --rules my-rules/ patient.json\n"
    "  knead recommend --batch examples/patients/batch.jsonl --out results.jsonl -j 4\n"
    "  knead recommend --input fhir --format cds-hooks examples/fhir/fibromyalgia_bundle.json\n";

Format parse_format(const std::string& name) {
  if (const Renderer* r = find_renderer(name)) return r;
  const std::string near = nearest(name, renderer_names());
  throw UsageError("recommend: --format must be " + format_names() + ", not '" + name + "'" +
                   (near.empty() ? "" : "; did you mean '" + near + "'?"));
}

// How an input text becomes a patient: a knead patient record, or FHIR read with the rule set.
struct InputReader {
  bool fhir = false;
  FhirOptions fhir_options;

  [[nodiscard]] Patient read(std::string_view text, const std::string& name) const {
    if (!fhir) return Patient::parse(text, name);
    const Document doc = Document::parse(text, name);
    if (is_cds_hooks_request(doc.root())) return patient_from_cds_hooks_request(doc.root(), fhir_options);
    return Patient::from_fhir(doc.root(), fhir_options);
  }
};

int recommend_one(const Engine& engine, const InputReader& reader, const std::string& path, Format format,
                  const RecommendOptions& options, bool fail_on_refer, std::size_t max_bytes) {
  const std::string name = input_name(path);
  const std::string text = read_input(path, max_bytes);
  Recommendation rec;
  try {
    rec = engine.recommend(reader.read(text, name), options);
  } catch (const ParseError& e) {
    // A broken patient document: its diagnostic line says where.
    std::cerr << diagnostic_line(e.diagnostic()) << '\n';
    return exit_usage;
  } catch (const PatientError& e) {
    print_error(name + ": " + e.what());
    return exit_usage;
  }
  std::cout << format->render(rec, &engine.rules());
  if (rec.status == Status::error) return exit_findings;
  if (fail_on_refer && rec.status == Status::refer) return exit_findings;
  return exit_ok;
}

// ---- batch ----

std::string error_record(std::size_t line, const std::string& code, const std::string& message) {
  nlohmann::ordered_json record;
  record["line"] = line;
  record["error"] = {{"code", code}, {"message", one_line(message)}};
  // Replacement, not an exception, for invalid UTF-8 in a message: every line gets its record.
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// What a run of lines gave; a chunk counts its own, then adds them to the batch's.
struct BatchCounts {
  std::size_t errors = 0;
  std::size_t refers = 0;
  std::size_t done = 0;
};

// Appends the line's output (without its '\n') to `out`: the JSON result, or the error record.
void recommend_line(const Engine& engine, const InputReader& reader, std::size_t number, std::string_view text,
                    const RecommendOptions& options, BatchCounts& counts, std::string& out) {
  const std::size_t mark = out.size();
  // The error record says the line and column; the name the reader is given is never shown,
  // so it is one string for every line, not one made per line.
  static const std::string name = "line";
  try {
    const Recommendation rec = engine.recommend(reader.read(text, name), options);
    if (rec.status == Status::refer) ++counts.refers;
    if (rec.status == Status::error) ++counts.errors;
    append_json(rec, out);
    return;
  } catch (const ParseError& e) {
    const Diagnostic& d = e.diagnostic();
    const std::string where = d.location.column != 0 ? "column " + std::to_string(d.location.column) + ": " : "";
    out.resize(mark);
    out += error_record(number, d.code, where + d.message);
  } catch (const Error& e) {
    out.resize(mark);
    out += error_record(number, e.code(), e.what());
  } catch (const std::exception& e) {
    out.resize(mark);
    out += error_record(number, "internal", e.what());
  }
  ++counts.errors;
}

// The most worker threads a batch starts: the pool's own cap, so that -j and the pool agree.
constexpr int kMaxJobs = static_cast<int>(WorkerPool::kMaxThreads);

// Cuts the batch input into chunks of whole lines (chunk.first: the number of the first line;
// blank lines count), read in large blocks. Every line is checked against max_bytes as it
// arrives, so that an endless line (/dev/zero) costs at most max_bytes of memory and time.
class LineChunkReader {
 public:
  // A chunk ends at the first line end after kChunkBytes: big enough that a chunk is one read
  // and one write, small enough that the threads share the work evenly. Towards the end of a
  // file whose size is known, chunks shrink to kLastChunkBytes so that the threads finish
  // together, not one of them alone on a last big chunk.
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  static constexpr std::size_t kLastChunkBytes = 4 * 1024;

  LineChunkReader(int fd, std::string name, std::size_t max_bytes, std::size_t threads)
      : fd_(fd), name_(std::move(name)), max_bytes_(max_bytes), threads_(threads) {
    struct stat st {};
    const off_t at = ::lseek(fd, 0, SEEK_CUR);
    if (threads > 1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at >= 0 && st.st_size >= at) {
      left_ = static_cast<std::size_t>(st.st_size - at);
    }
  }

  // The next chunk; false when the input is over, or at a line longer than max_bytes (then
  // overlong() names it, and the lines before it are in the chunks already read).
  bool read(BatchChunk& chunk) {
    if (over_) return false;
    chunk.first = number_;
    std::string& text = chunk.input;
    text.swap(rest_);  // the start of a line the previous read cut
    rest_.clear();
    std::size_t line_start = 0;
    std::size_t scanned = 0;
    for (;;) {
      // Every line that ends in what is read so far.
      while (const void* end = std::memchr(text.data() + scanned, '\n', text.size() - scanned)) {
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(end) - text.data());
        if (at - line_start > max_bytes_) return stop_at_overlong(text, line_start);
        ++number_;
        line_start = scanned = at + 1;
      }
      scanned = text.size();
      if (text.size() - line_start > max_bytes_) return stop_at_overlong(text, line_start);
      if (line_start > 0 && text.size() >= chunk_bytes()) break;
      if (fill(text) == 0) {
        over_ = true;  // the last line needs no '\n'
        if (line_start < text.size()) ++number_;
        return !text.empty();
      }
    }
    rest_.assign(text, line_start, std::string::npos);
    text.resize(line_start);
    return true;
  }

  [[nodiscard]] std::optional<std::size_t> overlong() const { return overlong_; }

 private:
  bool stop_at_overlong(std::string& text, std::size_t line_start) {
    overlong_ = number_;
    over_ = true;
    text.resize(line_start);
    return !text.empty();
  }

  [[nodiscard]] std::size_t chunk_bytes() const {
    if (!left_) return kChunkBytes;
    return std::clamp(*left_ / (4 * threads_), kLastChunkBytes, kChunkBytes);
  }

  // Appends one chunk's worth of input to `text`; 0 at the end of the input.
  std::size_t fill(std::string& text) {
    const std::size_t size = text.size();
    const std::size_t want = chunk_bytes();
    text.resize(size + want);
    for (;;) {
      const ssize_t n = ::read(fd_, text.data() + size, want);
      if (n < 0 && errno == EINTR) continue;
      const std::size_t got = static_cast<std::size_t>(std::max<ssize_t>(n, 0));
      text.resize(size + got);
      if (n < 0) throw UsageError("cannot read '" + name_ + "'");
      if (left_) *left_ -= std::min(*left_, got);
      return got;
    }
  }

  int fd_;
  std::string name_;
  std::size_t max_bytes_;
  std::size_t threads_;
  std::optional<std::size_t> left_;  // bytes of a regular file not read yet
  std::string rest_;
  std::size_t number_ = 1;  // of the next line
  bool over_ = false;
  std::optional<std::size_t> overlong_;
};

// The batch input: stdin for "-", else the file, opened for reading and closed when done.
class InputFile {
 public:
  explicit InputFile(const std::string& path) {
    if (path == "-") return;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      std::error_code ec;
      const std::string why =
          std::filesystem::exists(path, ec) ? "permission denied or unreadable" : "no such file or directory";
      throw UsageError("cannot read '" + path + "': " + why);
    }
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    if (fd_ != STDIN_FILENO) ::close(fd_);
  }
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_ = STDIN_FILENO;
};

// Writes all of `data` to `fd`, or throws "cannot write to <name>".
void write_all(int fd, std::string_view data, const std::string& name) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw UsageError("cannot write to " + name);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Results go to a temporary file next to OUT that replaces OUT only when the batch is complete:
// a batch that is killed or runs out of disk never leaves a partial file that looks like a
// finished one. The file is written through the descriptor mkstemp gives (reopening it with
// truncation would make ext4 flush it to disk on close), and it replaces an existing OUT by an
// atomic exchange, then the old file is removed: renaming over OUT would also flush it first.
class AtomicOutput {
 public:
  explicit AtomicOutput(const std::string& path) : path_(path) {
    const std::filesystem::path target(path);
    const std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
    std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    fd_ = mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) throw UsageError("cannot write '" + path + "': " + std::strerror(errno));
    temp_ = pattern;
    // mkstemp makes the file private; give it the permissions a new file would get.
    const mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd_, 0666 & ~mask);
  }
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) std::remove(temp_.c_str());
  }

  [[nodiscard]] int fd() const { return fd_; }

  void commit() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw UsageError("cannot write '" + path_ + "': " + std::strerror(errno));
    if (renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) == 0) {
      committed_ = true;
      std::remove(temp_.c_str());  // now the previous OUT
      return;
    }
    // No OUT yet, or a file system without exchange.
    if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
      throw UsageError("cannot write '" + path_ + "': " + std::strerror(errno));
    }
    committed_ = true;
  }

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// A device or a pipe named by --out (/dev/stdout), written in place.
class DeviceOutput {
 public:
  explicit DeviceOutput(const std::string& path) : fd_(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC)) {
    if (fd_ < 0) throw UsageError("cannot write '" + path + "'");
  }
  DeviceOutput(const DeviceOutput&) = delete;
  DeviceOutput& operator=(const DeviceOutput&) = delete;
  ~DeviceOutput() { ::close(fd_); }
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

// Whether two paths name the same file (the second need not exist).
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (std::filesystem::equivalent(a, b, ec)) return true;
  const auto ca = std::filesystem::weakly_canonical(a, ec);
  if (ec) return false;
  const auto cb = std::filesystem::weakly_canonical(b, ec);
  return !ec && ca == cb;
}

// The lines go through ordered_pipeline in chunks: every thread reads, computes or writes,
// whichever is ready, and the workers share one Engine. Memory stays bounded by a few chunks
// per thread, whatever the input's size.
int recommend_batch(const Engine& engine, const InputReader& reader, const std::string& in_path, const std::optional<std::string>& out_path,
                    int jobs, const RecommendOptions& options, bool fail_on_refer, std::size_t max_bytes) {
  if (in_path != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(in_path, ec))
      throw UsageError("cannot read '" + in_path + "': it is a directory");
    if (out_path && same_file(in_path, *out_path)) {
      throw UsageError("recommend: --out '" + *out_path + "' is the input file; name another file");
    }
  }
  const InputFile in(in_path);
  std::optional<AtomicOutput> out_file;
  std::optional<DeviceOutput> device;
  int out = STDOUT_FILENO;
  if (out_path) {
    std::error_code ec;
    const auto type = std::filesystem::status(*out_path, ec).type();
    if (type != std::filesystem::file_type::not_found && type != std::filesystem::file_type::regular && !ec) {
      out = device.emplace(*out_path).fd();
    } else {
      out = out_file.emplace(*out_path).fd();
    }
  }
  const std::string out_name = out_path ? "'" + *out_path + "'" : std::string("standard output");

  // One pool for the whole batch, this thread one of its workers.
  WorkerPool pool(jobs > 0 ? static_cast<std::size_t>(jobs) : 0);
  const bool progress = isatty(STDERR_FILENO) != 0;
  auto last_progress = std::chrono::steady_clock::now();
  struct {
    std::atomic<std::size_t> errors{0};
    std::atomic<std::size_t> refers{0};
    std::atomic<std::size_t> done{0};
  } counts;

  auto show_progress = [&](bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_progress < std::chrono::milliseconds(200)) return;
    last_progress = now;
    const std::size_t done = counts.done.load();
    const std::size_t errors = counts.errors.load();
    std::cerr << "\rknead: " << done << (done == 1 ? " patient, " : " patients, ") << errors
              << (errors == 1 ? " error" : " errors") << std::flush;
  };

  LineChunkReader reader_in(in.fd(), input_name(in_path), max_bytes, pool.size());
  const auto read = [&](BatchChunk& chunk) { return reader_in.read(chunk); };
  const auto work = [&](BatchChunk& chunk) {
    chunk.output.clear();
    BatchCounts chunk_counts;
    std::size_t number = chunk.first;
    const char* next = chunk.input.data();
    const char* const end = next + chunk.input.size();
    for (; next != end; ++number) {
      const char* newline = static_cast<const char*>(std::memchr(next, '\n', static_cast<std::size_t>(end - next)));
      std::string_view line(next, static_cast<std::size_t>((newline != nullptr ? newline : end) - next));
      next = newline != nullptr ? newline + 1 : end;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t\f\v") == std::string_view::npos) continue;  // blank: no output
      const std::size_t mark = chunk.output.size();
      try {
        recommend_line(engine, reader, number, line, options, chunk_counts, chunk.output);
      } catch (const std::bad_alloc&) {
        // Out of memory even for the error record: one more try, else the batch ends with it.
        chunk.output.resize(mark);
        chunk.output += error_record(number, "internal", "out of memory");
        ++chunk_counts.errors;
      }
      chunk.output += '\n';
      ++chunk_counts.done;
    }
    counts.errors += chunk_counts.errors;
    counts.refers += chunk_counts.refers;
    counts.done += chunk_counts.done;
  };
  const auto write = [&](BatchChunk& chunk) {
    write_all(out, chunk.output, out_name);
    if (progress) show_progress(false);
  };
  ordered_pipeline(pool, read, work, write);
  const std::optional<std::size_t> overlong = reader_in.overlong();
  if (overlong) {
    ++counts.errors;
    write_all(out,
              error_record(*overlong, "limit.size",
                           "line is longer than the limit of " + std::to_string(max_bytes) + " bytes") +
                  '\n',
              out_name);
  }
  if (progress) {
    show_progress(true);
    std::cerr << '\n';
  }
  if (overlong) {
    // Fail safe: the lines after it are not read, so the output must not pass for complete.
    throw UsageError("cannot read '" + input_name(in_path) + "': line " + std::to_string(*overlong) +
                     " is longer than the limit of " + std::to_string(max_bytes) +
                     " bytes (see --max-input-bytes); the rest of the input was not read");
  }
  if (out_file) out_file->commit();
  if (counts.errors > 0) return exit_findings;
  if (fail_on_refer && counts.refers > 0) return exit_findings;
  return exit_ok;
}

}  // namespace

std::string batch_record(const Engine& engine, std::size_t number, std::string text, const RecommendOptions& options) {
  BatchCounts counts;
  std::string out;
  recommend_line(engine, InputReader{}, number, text, options, counts, out);
  return out;
}

void help_recommend(std::ostream& out) {
  print_help(out, usage().c_str(), about_with_formats().c_str(), visible_options(), examples);
}

int run_recommend(const std::vector<std::string>& args) {
  const auto parsed = parse_command("recommend", args, visible_options(), Positionals{"patient", 1}, help_recommend);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;

  const Format format = parse_format(vm["format"].as<std::string>());
  RecommendOptions options;
  options.explain = vm.count("explain") != 0;
  options.strict = vm.count("strict") != 0;
  const bool fail_on_refer = vm.count("fail-on-refer") != 0;
  const auto batch = optional_string(vm, "batch");
  const auto patient = optional_string(vm, "patient");
  const int jobs = vm["jobs"].as<int>();
  const std::size_t max_bytes = vm["max-input-bytes"].as<std::size_t>();
  if (max_bytes == 0) throw UsageError("recommend: --max-input-bytes must be more than 0");

  if (batch) {
    if (patient) throw UsageError("recommend: give a PATIENT or --batch IN.jsonl, not both");
    if (!vm["format"].defaulted() && std::string(format->name) != "json") {
      throw UsageError("recommend: --batch writes JSON lines; --format " + vm["format"].as<std::string>() +
                       " is not available");
    }
    if (jobs < 0 || jobs > kMaxJobs) {
      throw UsageError("recommend: -j must be 0 (one per core) to " + std::to_string(kMaxJobs) + ", not " +
                       std::to_string(jobs));
    }
  } else {
    if (vm.count("out") != 0)
      throw UsageError("recommend: --out goes with --batch; the result of one patient goes to stdout");
    if (!vm["jobs"].defaulted()) throw UsageError("recommend: -j goes with --batch");
    if (!patient && isatty(STDIN_FILENO) != 0) {
      throw UsageError("recommend: no patient given; name a file, or '-' to read stdin (see 'knead recommend --help')");
    }
  }

  const std::string input = vm["input"].as<std::string>();
  if (input != "patient" && input != "fhir") {
    throw UsageError("recommend: --input must be patient or fhir, not '" + input + "'");
  }
  InputReader reader;
  reader.fhir = input == "fhir";
  if (auto as_of = optional_string(vm, "as-of")) {
    if (!reader.fhir) throw UsageError("recommend: --as-of goes with --input fhir");
    reader.fhir_options.as_of = *as_of;
  }

  const Engine engine{load_rules(rules_paths(vm))};
  reader.fhir_options.rules = &engine.rules();
  if (batch) return recommend_batch(engine, reader, *batch, optional_string(vm, "out"), jobs, options, fail_on_refer, max_bytes);
  return recommend_one(engine, reader, patient.value_or("-"), format, options, fail_on_refer, max_bytes);
}

}  // namespace knead::cli
