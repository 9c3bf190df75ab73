#include <fascia/engine.hpp>

#include "common/guard.hpp"
#include "common/sha256.hpp"
#include "core/engine_state.hpp"
#include "core/logging.hpp"
#include "core/protocol_access.hpp"
#include "core/protocol_lint.hpp"
#include "core/protocol_loader.hpp"
#include "yaml/document.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <tuple>

namespace fascia {

namespace {

// Problems of one file read best in file order, whatever pass found them.
Diagnostics in_file_order(Diagnostics diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
    if (a.location.file != b.location.file) return false;
    return std::tie(a.location.line, a.location.column) <
           std::tie(b.location.line, b.location.column);
  });
  return diagnostics;
}

}  // namespace

Engine::Engine(EngineOptions options) : state_(std::make_shared<detail::EngineState>()) {
  state_->options = std::move(options);
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const EngineOptions& Engine::options() const noexcept { return state_->options; }

std::vector<std::string> Engine::plugin_search_path() const {
  // Bundled first: the first file to provide a plugin or technique wins.
  std::vector<std::string> dirs;
  if (state_->options.use_default_dirs)
    for (auto& d : detail::default_plugin_dirs()) dirs.push_back(std::move(d));
  for (const auto& d : state_->options.plugin_dirs) dirs.push_back(d);
  if (state_->options.use_environment)
    for (auto& d : detail::plugin_dirs_from_env()) dirs.push_back(std::move(d));
  return dirs;
}

Diagnostics Engine::load_plugins() {
  return detail::guarded(
      "plugins",
      [&] {
        Diagnostics all;
        // A configured folder must exist; the environment and default folders
        // are only places to look.
        const auto& configured = state_->options.plugin_dirs;
        detail::PluginFolderOptions folder_options;
        folder_options.allow_symlinks_leaving_folder = state_->options.allow_plugin_symlinks;
        for (const auto& dir : plugin_search_path()) {
          std::error_code ec;
          const bool required =
              std::find(configured.begin(), configured.end(), dir) != configured.end();
          if (!required && !std::filesystem::is_directory(dir, ec)) continue;
          auto d = state_->plugins.load_directory(dir, folder_options);
          all.insert(all.end(), d.begin(), d.end());
        }
        // Returned to the caller, who reports them (the CLI prints each
        // once); logged at debug level only, for embedders tracing loading.
        for (const auto& d : all) detail::logger().debug("{}", d.to_string());
        return all;
      },
      [](Diagnostics problems) { return problems; });
}

Diagnostics Engine::load_plugin(const std::string& path) {
  return detail::guarded(
      path, [&] { return state_->plugins.load_file(path); },
      [](Diagnostics problems) { return problems; });
}

Diagnostics Engine::add_plugin(const fascia_plugin_info& info) {
  return detail::guarded(
      "<built-in>", [&] { return state_->plugins.add_builtin(info); },
      [](Diagnostics problems) { return problems; });
}

std::vector<PluginDescription> Engine::plugins() const { return state_->plugins.plugins(); }

std::vector<TechniqueDescription> Engine::techniques() const {
  std::vector<TechniqueDescription> out;
  for (const auto& entry : state_->plugins.techniques()) {
    TechniqueDescription d;
    d.info = entry->info;
    d.plugin = entry->plugin->description.name;
    d.plugin_version = entry->plugin->description.version;
    d.config = entry->config_schema;
    d.parameters = entry->parameter_schema;
    for (const auto& f : entry->functions)
      d.functions.push_back({entry->info.id + "." + f.name, f.parameters, f.result, f.description});
    d.home_program = entry->home_templates;
    out.push_back(std::move(d));
  }
  return out;
}

Outcome<std::shared_ptr<const Protocol>> Engine::parse_protocol(
    std::string_view yaml, const std::string& file_name) const {
  using Result = Outcome<std::shared_ptr<const Protocol>>;
  return detail::guarded(
      file_name,
      [&] {
        Diagnostics diagnostics;
        detail::yaml::Document document;
        if (!detail::yaml::parse_document(yaml, file_name, state_->options.limits, document,
                                          diagnostics))
          return Result::failure(std::move(diagnostics));
        auto model = detail::load_protocol_model(document, state_->plugins, plugin_search_path(),
                                                 state_->options.limits, diagnostics);
        if (!model) return Result::failure(in_file_order(std::move(diagnostics)));
        model->sha256 = detail::sha256_hex(yaml);
        detail::logger().debug("loaded protocol {} {} from {}", model->id, model->version,
                               file_name);
        return Result(detail::ProtocolAccess::make(std::move(model)),
                      in_file_order(std::move(diagnostics)));
      },
      [](Diagnostics problems) { return Result::failure(std::move(problems)); });
}

Outcome<std::shared_ptr<const Protocol>> Engine::load_protocol(const std::string& path) const {
  using Result = Outcome<std::shared_ptr<const Protocol>>;
  return detail::guarded(
      path,
      [&] {
        Diagnostics diagnostics;
        detail::yaml::Document document;
        if (!detail::yaml::load_document(path, state_->options.limits, document, diagnostics))
          return Result::failure(std::move(diagnostics));
        auto model = detail::load_protocol_model(document, state_->plugins, plugin_search_path(),
                                                 state_->options.limits, diagnostics);
        if (!model) return Result::failure(in_file_order(std::move(diagnostics)));
        model->sha256 = detail::sha256_hex(document.text);
        return Result(detail::ProtocolAccess::make(std::move(model)),
                      in_file_order(std::move(diagnostics)));
      },
      [](Diagnostics problems) { return Result::failure(std::move(problems)); });
}

Diagnostics Engine::validate_protocol_text(std::string_view yaml,
                                           const std::string& file_name) const {
  return detail::guarded(
      file_name,
      [&] {
        Diagnostics diagnostics;
        detail::yaml::Document document;
        if (!detail::yaml::parse_document(yaml, file_name, state_->options.limits, document,
                                          diagnostics))
          return diagnostics;
        auto model = detail::load_protocol_model(document, state_->plugins, plugin_search_path(),
                                                 state_->options.limits, diagnostics);
        if (model) {
          Diagnostics lint = detail::lint_protocol(*model, &document);
          diagnostics.insert(diagnostics.end(), lint.begin(), lint.end());
        }
        return in_file_order(std::move(diagnostics));
      },
      [](Diagnostics problems) { return problems; });
}

Diagnostics Engine::validate_protocol(const std::string& path) const {
  return detail::guarded(
      path,
      [&] {
        Diagnostics diagnostics;
        detail::yaml::Document document;
        if (!detail::yaml::load_document(path, state_->options.limits, document, diagnostics))
          return diagnostics;
        return validate_protocol_text(document.text, path);
      },
      [](Diagnostics problems) { return problems; });
}

}  // namespace fascia
