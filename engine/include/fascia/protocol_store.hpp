#pragma once
// A protocol file that can be replaced while evaluations run (hot reload).
//
// The store serves one immutable Protocol at a time. current() hands out a
// shared_ptr to it; reload() loads the file again and swaps the new version
// in atomically. An evaluation holds the shared_ptr it started with, so it
// sees the old or the new version whole, never a mix, and its
// recommendation names the version it used (protocol id, version, sha256).
// A file that fails to load leaves the store serving the version it had,
// and reload() says why.
//
// Replace protocol files atomically (write a temporary file in the same
// folder, then rename it over the old one). A file rewritten in place may
// be read half-written: that reload fails (and the old version stays) and
// the next one picks up the finished file.
//
// Plugins: reload_plugins() builds a fresh Engine, loads the plugin folders
// again, and loads the protocol against it. The dynamic loader returns the
// library already mapped for a path it has loaded, so a plugin file replaced
// at the same path is only read again once nothing uses the old one. To
// deploy new plugin versions, install them into a new folder and switch a
// symbolic link to it atomically (`ln -s v2 tmp && mv -T tmp current`): the
// engine opens plugins by their canonical path, so the new files load even
// while evaluations still use the old ones.
//
// All member functions are thread-safe. Reloads are serialised.

#include <fascia/diagnostic.hpp>
#include <fascia/engine.hpp>
#include <fascia/export.hpp>
#include <fascia/protocol.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fascia {

struct ReloadResult {
  bool ok = false;          // the file loaded: the store serves what it holds now
                            // (false: the previous version stays; diagnostics say why)
  bool changed = false;     // a different version was swapped in
  Diagnostics diagnostics;  // why the file failed to load, and warnings
};

class FASCIA_API ProtocolStore {
 public:
  // Creates an Engine with `options`, loads its plugins, then the protocol
  // at `path`. Plugin files that fail to load are reported as warnings.
  static Outcome<std::unique_ptr<ProtocolStore>> open(const std::string& path,
                                                      EngineOptions options = {});
  ~ProtocolStore();
  ProtocolStore(const ProtocolStore&) = delete;
  ProtocolStore& operator=(const ProtocolStore&) = delete;

  const std::string& path() const noexcept;
  // The version served now; never null. Keep the pointer for as long as
  // one evaluation (or a batch that must see one version) needs it.
  std::shared_ptr<const Protocol> current() const;
  // Number of versions swapped in since open() (0 for the first one).
  std::uint64_t generation() const;

  // Reads the protocol file again with the current plugins.
  ReloadResult reload();
  // Reloads the plugin folders through a fresh Engine, then the protocol.
  ReloadResult reload_plugins();
  // reload() only if the file's modification time, size or inode changed
  // since it was last read: cheap enough to call from a timer. When nothing
  // changed it repeats the outcome of the last read (ok false while the file
  // on disk is still the broken one).
  ReloadResult reload_if_changed();

  // current()->evaluate_json(...): parse, evaluate and serialise with the
  // version served now.
  Outcome<std::string> evaluate_json(std::string_view state,
                                     const EvaluateOptions& options = {}) const;

 private:
  struct Impl;
  explicit ProtocolStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fascia
