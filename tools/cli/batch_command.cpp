// fascia batch: NDJSON client states on stdin, one output line per input
// line, in input order, evaluated on N threads. A bad line becomes
// {"line": N, "error": "..."} and never stops the run or loses another.
//
// Input comes in blocks of about a thousand lines (batch_input.hpp). The
// evaluation threads (started once) take a block's lines in chunks of 16
// from a shared counter and render each chunk's output lines into that
// chunk's own buffer, so the block is complete and in input order when they
// are done; one writer thread then writes it while the next block is
// evaluated and the one after it is read.
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
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace fascia::cli {

namespace {

constexpr std::size_t chunk_lines = 16;  // lines a thread takes at a time
// The room a chunk's buffer is given at once (the bundled protocol's output
// is about 3.2 KB a line: 51 KB a chunk), so that it is not grown by
// doubling through 4 KB appends, leaving the freed smaller buffers behind.
constexpr std::size_t chunk_reserve = chunk_lines * 4096;
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

// The output of one block: chunks[c] holds the output lines of the block's
// chunk c (chunk_lines input lines), each ending in '\n', in input order.
// The strings keep their memory from block to block.
struct BlockOutput {
  std::vector<std::string> chunks;
};

// Evaluates blocks on a pool of threads that live as long as the runner: the
// calling thread and threads - 1 helpers take chunks of lines from a shared
// counter and write each chunk's lines straight into its own buffer.
class BatchRunner {
 public:
  BatchRunner(const Protocol& protocol, const BatchArgs& args)
      : protocol_(protocol),
        threads_(std::clamp(args.threads, 1u, max_threads)),
        workers_(threads_) {
    options_.explain = args.explain;
    for (std::size_t t = 1; t < threads_; ++t) helpers_.emplace_back([this, t] { help(t); });
  }
  ~BatchRunner() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    start_.notify_all();
    for (auto& h : helpers_) h.join();
  }
  BatchRunner(const BatchRunner&) = delete;
  BatchRunner& operator=(const BatchRunner&) = delete;

  // The helpers start on `block` (into `out`); finish() joins them.
  void start(const Block& block, BlockOutput& out) {
    out.chunks.resize((block.lines.size() + chunk_lines - 1) / chunk_lines);
    {
      std::lock_guard lock(mutex_);
      block_ = &block;
      out_ = &out;
      next_.store(0);
      running_ = helpers_.size();
      ++generation_;
    }
    start_.notify_all();
  }
  // The calling thread works on the block too, then waits for the helpers.
  void finish() {
    work(workers_[0]);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return running_ == 0; });
  }

  std::size_t failed() const noexcept { return failed_.load(); }

 private:
  // What a thread reuses from line to line, so a line allocates little.
  struct Worker {
    ClientState state;
    Diagnostics diagnostics;
  };

  void help(std::size_t index) {
    std::uint64_t seen = 0;
    while (true) {
      {
        std::unique_lock lock(mutex_);
        start_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      work(workers_[index]);
      std::lock_guard lock(mutex_);
      if (--running_ == 0) done_.notify_one();
    }
  }

  void work(Worker& worker) noexcept {
    std::size_t failed = 0;
    const Block& block = *block_;
    const std::size_t count = block.lines.size();
    while (true) {
      const std::size_t chunk = next_.fetch_add(1);
      const std::size_t begin = chunk * chunk_lines;
      if (begin >= count) break;
      std::string& out = out_->chunks[chunk];
      out.clear();
      out.reserve(chunk_reserve);  // once: the buffers are kept from block to block
      const std::size_t end = std::min(count, begin + chunk_lines);
      for (std::size_t i = begin; i < end; ++i)
        if (!evaluate(block, i, worker, out)) ++failed;
    }
    failed_ += failed;
  }

  // Appends the line's output and '\n' to `out`. Never throws: whatever
  // happens becomes this line's error, and nothing half-written stays.
  bool evaluate(const Block& block, std::size_t index, Worker& worker, std::string& out) noexcept {
    const std::size_t number = block.first_number + index;
    const std::size_t start = out.size();
    std::string what;
    try {
      const bool ok =
          evaluate_line(block.lines[index], block.text(block.lines[index]), number, worker, out);
      out.push_back('\n');
      return ok;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    out.resize(start);
    try {
      // Worded as the engine words its own internal errors.
      out += error_line(number, "internal error: " + (what.empty() ? "unknown exception" : what) +
                                    "; please report this with the input that caused it");
      out.push_back('\n');
    } catch (...) {
      out.resize(start);  // out of memory even for the message
    }
    return false;
  }

  // As Protocol::evaluate_json(), but written from the decision record
  // straight onto the end of the chunk's buffer (no Recommendation), the
  // state read into the thread's reused one and not checked twice.
  bool evaluate_line(const Block::Line& line, std::string_view text, std::size_t number,
                     Worker& worker, std::string& out) const {
    if (line.too_long) {
      out += error_line(number, "line is too long (more than " +
                                    std::to_string(Limits{}.max_file_bytes) + " bytes)");
      return false;
    }
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
      out += error_line(number, "empty line: expected one client state (a JSON object)");
      return false;
    }
    if (!protocol_.parse_and_evaluate_json_into(text, file_name_, worker.state, out,
                                                worker.diagnostics, options_)) {
      out += error_line(number, describe(worker.diagnostics));
      return false;
    }
    return true;
  }

  const Protocol& protocol_;
  unsigned threads_;
  EvaluateOptions options_;
  const std::string file_name_ = "<stdin>";
  std::vector<Worker> workers_;  // one per thread, [0] the caller's
  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  std::uint64_t generation_ = 0;  // one per block
  std::size_t running_ = 0;       // helpers still on the current block
  bool stop_ = false;
  const Block* block_ = nullptr;
  BlockOutput* out_ = nullptr;
  std::atomic<std::size_t> next_{0};  // the next chunk to take
  std::atomic<std::size_t> failed_{0};
};

// Writes each chunk, gathered (no copy into one buffer). Returns 0, or the
// errno of the failed write.
int write_chunks(int fd, const std::vector<std::string>& chunks) {
  std::vector<iovec> pieces;
  pieces.reserve(chunks.size());
  for (const auto& c : chunks)
    if (!c.empty()) pieces.push_back({const_cast<char*>(c.data()), c.size()});
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

// The one thread that writes: it takes a finished block's output and writes
// it while the next block is evaluated.
class Writer {
 public:
  explicit Writer(int fd) : fd_(fd), thread_([this] { loop(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Hands `out` over once the previous block is written (so the caller may
  // reuse that one's buffers); returns the first write error, or 0.
  int submit(const BlockOutput& out) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return pending_ == nullptr; });
    if (error_ == 0) pending_ = &out;
    changed_.notify_all();
    return error_;
  }
  // Waits until everything handed over is written.
  int drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return pending_ == nullptr; });
    return error_;
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return stop_ || pending_ != nullptr; });
      if (!pending_) return;  // stopped with nothing left to write
      const BlockOutput* out = pending_;
      lock.unlock();
      const int error = write_chunks(fd_, out->chunks);
      lock.lock();
      error_ = error;
      pending_ = nullptr;
      changed_.notify_all();
      if (error != 0) return;
    }
  }

  int fd_;
  std::mutex mutex_;
  std::condition_variable changed_;
  const BlockOutput* pending_ = nullptr;
  int error_ = 0;
  bool stop_ = false;
  std::thread thread_;  // last: started once the members above exist
};

int run_batch(const BatchArgs& args, const CommonOptions& common) {
  Engine engine = make_engine(common);
  auto protocol = load_protocol(engine, args.protocol);
  if (!protocol) return exit_invalid_input;

  LineReader reader(STDIN_FILENO, Limits{}.max_file_bytes);
  BatchRunner runner(*protocol, args);
  // Two blocks and two outputs in flight: while block k is evaluated on
  // every thread, this thread first reads block k + 1 and the writer writes
  // block k - 1's output.
  Block blocks[2];
  BlockOutput outputs[2];
  std::size_t total = 0;
  int write_error = 0;
  {
    Writer writer(STDOUT_FILENO);
    std::size_t k = 0;
    bool more = reader.next(blocks[0]);
    while (more) {
      runner.start(blocks[k], outputs[k]);
      more = reader.next(blocks[k ^ 1]);
      runner.finish();
      total += blocks[k].lines.size();
      if ((write_error = writer.submit(outputs[k])) != 0) break;
      k ^= 1;
    }
    if (write_error == 0) write_error = writer.drain();
  }
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
