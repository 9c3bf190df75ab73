// Reads the --auth-config file. The one part of fascia::serve besides the
// FHIR mapping file (fhir_map_file.cpp) that uses engine internals: the
// engine's YAML reader (yaml/document.hpp, yaml/reader.hpp), so that a
// security configuration gets the same strict reading as a protocol
// (duplicate keys, `yes`/`on` booleans, octal and NaN numbers refused,
// unknown keys named, every error with its line and column: PITFALLS.md),
// which the public API does not offer for files other than protocols and
// client states. Built in the fascia_serve_inputs library
// (CMakeLists.txt), so that the rest of fascia::serve sees only the public
// API and fascia::documents.
#include "auth_config.hpp"

#include "yaml/document.hpp"
#include "yaml/reader.hpp"

#include <filesystem>

namespace fascia::serve {

namespace yaml = fascia::detail::yaml;

bool read_auth_config(const std::string& path, AuthConfig& config, Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  yaml::Document document;
  if (!yaml::load_document(path, Limits{}, document, diagnostics)) return false;
  yaml::Reader r(document, diagnostics);
  const auto& root = document.root;
  if (!r.expect_mapping(root, "auth config",
                        {"auth", "audience", "replay_window_seconds", "clock_skew_seconds",
                         "issuers", "static_tokens", "static_tokens_for_cds_hooks"},
                        {"auth", "audience"}))
    return false;
  if (auto v = r.integer(*root.find("auth"), "auth", 0, 1000); v && *v != 1)
    r.error(*root.find("auth"), "auth config format " + std::to_string(*v) +
                                    " is not supported; this fascia reads format 1");
  if (auto v = r.string(*root.find("audience"), "audience")) {
    config.audience_base = *v;
    while (!config.audience_base.empty() && config.audience_base.back() == '/')
      config.audience_base.pop_back();
  }
  if (const auto* n = root.find("replay_window_seconds"))
    if (auto v = r.integer(*n, "replay_window_seconds", 1, 86400)) config.replay_window = *v;
  if (const auto* n = root.find("clock_skew_seconds"))
    if (auto v = r.integer(*n, "clock_skew_seconds", 0, 600)) config.clock_skew = *v;
  if (const auto* n = root.find("static_tokens_for_cds_hooks"))
    if (auto v = r.boolean(*n, "static_tokens_for_cds_hooks")) config.cds_static_tokens = *v;
  const auto dir = std::filesystem::path(path).parent_path();
  if (const auto* n = root.find("issuers"); n && r.expect_sequence(*n, "issuers"))
    for (const auto& item : n->items) {
      if (!r.expect_mapping(item, "issuer", {"iss", "jwks"}, {"iss", "jwks"})) continue;
      AuthConfig::Issuer issuer;
      if (auto v = r.string(*item.find("iss"), "iss")) issuer.iss = *v;
      auto file = r.string(*item.find("jwks"), "jwks");
      if (!file) continue;
      issuer.jwks_path =
          (std::filesystem::path(*file).is_absolute() ? std::filesystem::path(*file) : dir / *file)
              .string();
      issuer.jwks_location = r.location(*item.find("jwks"));
      config.issuers.push_back(std::move(issuer));
    }
  if (const auto* n = root.find("static_tokens"); n && r.expect_sequence(*n, "static_tokens"))
    for (const auto& item : n->items) {
      if (!r.expect_mapping(item, "static token", {"name", "sha256"}, {"name", "sha256"})) continue;
      auto h = r.string(*item.find("sha256"), "sha256");
      if (h && h->size() == 64)
        config.static_tokens.push_back(*h);
      else if (h)
        r.error(*item.find("sha256"), "sha256 must be 64 hex digits: the SHA-256 of the token");
    }
  return !has_errors(Diagnostics(diagnostics.begin() + long(before), diagnostics.end()));
}

}  // namespace fascia::serve
