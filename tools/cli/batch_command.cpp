// fascia batch: NDJSON client states on stdin, one output line per input
// line, in input order, evaluated on N threads. A bad line becomes
// {"line": N, "error": "..."} and never stops the run or loses another.
//
// Input comes in blocks of a few thousand lines (batch_input.hpp); the
// threads of a block take lines in small chunks from a shared counter and
// write each result into the line's own slot, so the block is written in
// input order once they are done, while the next block is evaluated.
#include "batch_input.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

#include <fascia/limits.hpp>

#include <nlohmann/json.hpp>

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace fascia::cli {

namespace {

constexpr std::size_t chunk_lines = 16;  // lines a thread takes at a time
constexpr unsigned max_threads = 256;

struct BatchArgs {
  std::string protocol;
  unsigned threads = 0;
  bool explain = false;
  bool exit_zero_on_bad_lines = false;  // for Spark RDD.pipe, Hadoop streaming
};

std::string error_line(std::size_t number, const std::string& message) {
  const nlohmann::ordered_json line = {{"line", number}, {"error", message}};
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// "column 14: pain.current must be between 0 and 10, got 11; ..."
std::string describe(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::error) continue;
    if (!out.empty()) out += "; ";
    if (d.location.column > 0) out += "column " + std::to_string(d.location.column) + ": ";
    out += d.message;
  }
  return out.empty() ? "invalid client state" : out;
}

class BatchRunner {
 public:
  BatchRunner(const Protocol& protocol, const BatchArgs& args)
      : protocol_(protocol),
        threads_(std::clamp(args.threads, 1u, max_threads)),
        workers_(threads_) {
    options_.explain = args.explain;
  }

  // Evaluates every line of `block` into `results` (one each, no newline).
  void run(const Block& block, std::vector<std::string>& results) {
    results.resize(block.lines.size());
    results_ = &results;
    next_.store(0);
    std::vector<std::thread> helpers;
    const std::size_t wanted =
        std::min<std::size_t>(threads_ - 1, (block.lines.size() + chunk_lines - 1) / chunk_lines);
    for (std::size_t t = 1; t <= wanted; ++t)
      helpers.emplace_back([&, t] { work(block, workers_[t]); });
    work(block, workers_[0]);
    for (auto& h : helpers) h.join();
  }

  std::size_t failed() const noexcept { return failed_.load(); }

 private:
  // What a thread reuses from line to line, so a line allocates little.
  struct Worker {
    Recommendation recommendation;
    Diagnostics diagnostics;
  };

  void work(const Block& block, Worker& worker) noexcept {
    std::size_t failed = 0;
    const std::size_t count = block.lines.size();
    while (true) {
      const std::size_t begin = next_.fetch_add(chunk_lines);
      if (begin >= count) break;
      const std::size_t end = std::min(count, begin + chunk_lines);
      for (std::size_t i = begin; i < end; ++i)
        if (!evaluate(block, i, worker, (*results_)[i])) ++failed;
    }
    failed_ += failed;
  }

  // Never throws: whatever happens becomes this line's error.
  bool evaluate(const Block& block, std::size_t index, Worker& worker, std::string& out) noexcept {
    const std::size_t number = block.first_number + index;
    std::string what;
    try {
      return evaluate_line(block.lines[index], block.text(block.lines[index]), number, worker, out);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    try {
      // Worded as the engine words its own internal errors.
      out = error_line(number, "internal error: " + (what.empty() ? "unknown exception" : what) +
                                   "; please report this with the input that caused it");
    } catch (...) {
      // Out of memory even for the message: the line stays empty.
    }
    return false;
  }

  // As Protocol::evaluate_json(), but into the worker's recommendation and
  // the line's own string, whose memory is kept from block to block.
  bool evaluate_line(const Block::Line& line, std::string_view text, std::size_t number,
                     Worker& worker, std::string& out) const {
    if (line.too_long) {
      out = error_line(number, "line is too long (more than " +
                                   std::to_string(Limits{}.max_file_bytes) + " bytes)");
      return false;
    }
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
      out = error_line(number, "empty line: expected one client state (a JSON object)");
      return false;
    }
    auto parsed = protocol_.parse_state(text, file_name_);
    if (!parsed) {
      out = error_line(number, describe(parsed.diagnostics()));
      return false;
    }
    if (!protocol_.evaluate_into(parsed.value(), worker.recommendation, worker.diagnostics,
                                 options_)) {
      out = error_line(number, describe(worker.diagnostics));
      return false;
    }
    out.clear();
    append_json(worker.recommendation, out);
    return true;
  }

  const Protocol& protocol_;
  unsigned threads_;
  EvaluateOptions options_;
  const std::string file_name_ = "<stdin>";
  std::vector<Worker> workers_;  // one per thread
  std::vector<std::string>* results_ = nullptr;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> failed_{0};
};

// Writes each result and a newline, gathered (no copy into one buffer).
// Returns 0, or the errno of the failed write.
int write_lines(int fd, const std::vector<std::string>& lines) {
  static char newline = '\n';
  std::vector<iovec> pieces;
  pieces.reserve(2 * lines.size());
  for (const auto& line : lines) {
    pieces.push_back({const_cast<char*>(line.data()), line.size()});
    pieces.push_back({&newline, 1});
  }
  std::size_t next = 0;
  while (next < pieces.size()) {
    const int count = static_cast<int>(std::min<std::size_t>(pieces.size() - next, IOV_MAX));
    const ssize_t n = ::writev(fd, pieces.data() + next, count);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    // Skip what was written, possibly ending inside a piece.
    auto left = static_cast<std::size_t>(n);
    while (next < pieces.size() && left >= pieces[next].iov_len) left -= pieces[next++].iov_len;
    if (left > 0) {
      pieces[next].iov_base = static_cast<char*>(pieces[next].iov_base) + left;
      pieces[next].iov_len -= left;
    }
  }
  return 0;
}

int run_batch(const BatchArgs& args, const CommonOptions& common) {
  Engine engine = make_engine(common);
  auto protocol = load_protocol(engine, args.protocol);
  if (!protocol) return exit_invalid_input;

  LineReader reader(STDIN_FILENO, Limits{}.max_file_bytes);
  BatchRunner runner(*protocol, args);
  // Three blocks in flight: one evaluated on every thread while one more
  // thread writes the previous block's results and reads the next block.
  Block current, next;
  std::vector<std::string> results, written;
  std::size_t total = 0;
  int write_error = 0;
  bool more = reader.next(current);
  while (more) {
    auto io = std::async(std::launch::async, [&] {
      const int error = write_lines(STDOUT_FILENO, written);
      return std::pair{error, error == 0 && reader.next(next)};
    });
    runner.run(current, results);
    total += current.lines.size();
    std::tie(write_error, more) = io.get();
    if (write_error != 0) break;
    written.swap(results);
    std::swap(current, next);
  }
  if (write_error == 0) write_error = write_lines(STDOUT_FILENO, written);
  if (write_error != 0) {
    std::cerr << "fascia: error: cannot write the results: " << std::strerror(write_error) << '\n';
    return exit_internal;
  }
  if (!reader.error().empty()) {
    std::cerr << "fascia: error: cannot read standard input: " << reader.error() << '\n';
    return exit_internal;
  }
  if (runner.failed() > 0) {
    std::cerr << "fascia: batch: " << runner.failed() << " of " << total
              << " line(s) could not be evaluated (see their {\"line\": N, \"error\": ...} "
                 "output lines)\n";
    return args.exit_zero_on_bad_lines ? exit_ok : exit_invalid_input;
  }
  return exit_ok;
}

}  // namespace

Command add_batch_command(CLI::App& app, CommonOptions& common) {
  auto args = std::make_shared<BatchArgs>();
  args->threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App* cmd = app.add_subcommand(
      "batch", "Evaluate many client states: NDJSON on stdin, one output line per input line");
  cmd->footer(
      "Each input line is one client state (a JSON object). Each output line, in input\n"
      "order, is its recommendation or {\"line\": N, \"error\": \"...\"}; a bad line never\n"
      "stops the run. Exit status 0 when every line was evaluated, 3 when some were not\n"
      "(0 with --exit-zero-on-bad-lines, for Spark's RDD.pipe and Hadoop streaming, which\n"
      "fail the whole task when the child exits non-zero).\n\n"
      "Example:\n  fascia batch --protocol protocols/fibromyalgia.yaml --threads 2 \\\n"
      "      < states.ndjson > recommendations.ndjson");
  cmd->add_option("--protocol", args->protocol, "Protocol YAML file")->required();
  cmd->add_option("--threads", args->threads, "Evaluation threads (default: one per core)")
      ->check(CLI::Range(1u, max_threads));
  cmd->add_flag("--explain", args->explain, "Add the trace of every rule considered");
  cmd->add_flag("--exit-zero-on-bad-lines", args->exit_zero_on_bad_lines,
                "Exit 0 even when some lines could not be evaluated (they still get their "
                "{\"line\": N, \"error\": ...} output line); a bad protocol or I/O error "
                "still fails");
  add_common_options(*cmd, common);
  return {cmd, [args, &common]() -> int { return run_batch(*args, common); }};
}

}  // namespace fascia::cli
