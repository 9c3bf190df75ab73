#include <fascia/protocol_store.hpp>

#include "common/guard.hpp"
#include "core/logging.hpp"

#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <exception>
#include <mutex>
#include <utility>

namespace fascia {

namespace {

// What reload_if_changed() compares: taken before the file is read, so a
// write that lands during the read shows up as a change next time.
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = -1;
  timespec modified{};
  timespec changed{};

  bool operator==(const FileStamp& o) const noexcept {
    return device == o.device && inode == o.inode && size == o.size &&
           modified.tv_sec == o.modified.tv_sec && modified.tv_nsec == o.modified.tv_nsec &&
           changed.tv_sec == o.changed.tv_sec && changed.tv_nsec == o.changed.tv_nsec;
  }
};

FileStamp stamp_of(const std::string& path) {
  FileStamp stamp;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return stamp;  // missing: size -1
  stamp.device = st.st_dev;
  stamp.inode = st.st_ino;
  stamp.size = st.st_size;
  stamp.modified = st.st_mtim;
  stamp.changed = st.st_ctim;
  return stamp;
}

Diagnostics as_warnings(Diagnostics diagnostics) {
  for (auto& d : diagnostics)
    if (d.severity == Severity::error) d.severity = Severity::warning;
  return diagnostics;
}

}  // namespace

struct ProtocolStore::Impl {
  std::string path;
  EngineOptions options;

  // The served version and the engine it was loaded with, swapped together.
  mutable std::mutex snapshot_mutex;
  std::shared_ptr<const Protocol> protocol;
  std::shared_ptr<const Engine> engine;
  std::uint64_t generation = 0;

  std::mutex reload_mutex;  // one reload at a time
  FileStamp stamp;          // of the file as last read
  ReloadResult last;        // of the last read (without `changed`)

  std::shared_ptr<const Engine> current_engine() const {
    std::lock_guard lock(snapshot_mutex);
    return engine;
  }

  static std::shared_ptr<const Engine> make_engine(const EngineOptions& options,
                                                   Diagnostics& warnings) {
    auto engine = std::make_shared<Engine>(options);
    auto problems = as_warnings(engine->load_plugins());
    warnings.insert(warnings.end(), problems.begin(), problems.end());
    return engine;
  }

  // Loads the file with `with_engine`; swaps it in if it loads and differs.
  ReloadResult load(std::shared_ptr<const Engine> with_engine, Diagnostics warnings) {
    ReloadResult result;
    stamp = stamp_of(path);
    auto loaded = with_engine->load_protocol(path);
    result.diagnostics = std::move(warnings);
    result.diagnostics.insert(result.diagnostics.end(), loaded.diagnostics().begin(),
                              loaded.diagnostics().end());
    if (!loaded) {
      // The caller gets the reasons; the log only notes it.
      detail::logger().info("reload of {} failed; still serving the previous version", path);
      last = result;
      return result;
    }
    std::shared_ptr<const Protocol> fresh = std::move(loaded).value_or_throw();
    result.ok = true;
    last = result;
    detail::logger().info("loaded protocol {} {} ({})", fresh->id(), fresh->version(), path);
    // The replaced version is released after the lock, so that evaluations
    // asking for current() never wait for a protocol (or plugins) to unload.
    std::shared_ptr<const Protocol> old_protocol;
    std::shared_ptr<const Engine> old_engine;
    {
      std::lock_guard lock(snapshot_mutex);
      // Same bytes and same plugins: keep the object (and its generation).
      if (protocol && protocol->sha256() == fresh->sha256() && engine == with_engine) return result;
      old_protocol = std::exchange(protocol, std::move(fresh));
      old_engine = std::exchange(engine, std::move(with_engine));
      ++generation;
    }
    result.changed = true;
    return result;
  }

  template <class F>
  ReloadResult guarded(F&& f) noexcept {
    try {
      std::lock_guard lock(reload_mutex);
      return f();
    } catch (const std::exception& e) {
      ReloadResult result;
      result.diagnostics = Diagnostics{detail::internal_error(path, &e)};
      return result;
    } catch (...) {
      ReloadResult result;
      result.diagnostics = Diagnostics{detail::internal_error(path, nullptr)};
      return result;
    }
  }
};

ProtocolStore::ProtocolStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProtocolStore::~ProtocolStore() = default;

Outcome<std::unique_ptr<ProtocolStore>> ProtocolStore::open(const std::string& path,
                                                            EngineOptions options) {
  using Result = Outcome<std::unique_ptr<ProtocolStore>>;
  return detail::guarded(
      path,
      [&] {
        auto impl = std::make_unique<Impl>();
        impl->path = path;
        impl->options = std::move(options);
        Diagnostics warnings;
        auto engine = Impl::make_engine(impl->options, warnings);
        ReloadResult first = impl->load(std::move(engine), std::move(warnings));
        if (!first.ok) return Result::failure(std::move(first.diagnostics));
        impl->generation = 0;
        return Result(std::unique_ptr<ProtocolStore>(new ProtocolStore(std::move(impl))),
                      std::move(first.diagnostics));
      },
      [](Diagnostics problems) { return Result::failure(std::move(problems)); });
}

const std::string& ProtocolStore::path() const noexcept { return impl_->path; }

std::shared_ptr<const Protocol> ProtocolStore::current() const {
  std::lock_guard lock(impl_->snapshot_mutex);
  return impl_->protocol;
}

std::uint64_t ProtocolStore::generation() const {
  std::lock_guard lock(impl_->snapshot_mutex);
  return impl_->generation;
}

ReloadResult ProtocolStore::reload() {
  return impl_->guarded([&] { return impl_->load(impl_->current_engine(), {}); });
}

ReloadResult ProtocolStore::reload_plugins() {
  return impl_->guarded([&] {
    Diagnostics warnings;
    auto engine = Impl::make_engine(impl_->options, warnings);
    return impl_->load(std::move(engine), std::move(warnings));
  });
}

ReloadResult ProtocolStore::reload_if_changed() {
  return impl_->guarded([&] {
    // Unchanged: the outcome of the last read stands (a broken file stays
    // reported until it changes).
    if (stamp_of(impl_->path) == impl_->stamp) return impl_->last;
    return impl_->load(impl_->current_engine(), {});
  });
}

Outcome<std::string> ProtocolStore::evaluate_json(std::string_view state,
                                                  const EvaluateOptions& options) const {
  return current()->evaluate_json(state, options);
}

}  // namespace fascia
