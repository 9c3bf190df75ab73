#pragma once
// The --auth-config file (docs/serve.md "Authentication") as read, before
// its JWKS files are: auth_config_file.cpp reads it with the engine's
// strict, located YAML reader; jwt_auth.cpp loads the keys it names.

#include <fascia/diagnostic.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fascia::serve {

struct AuthConfig {
  std::string audience_base;  // without a trailing '/'
  std::int64_t replay_window = 300;
  std::int64_t clock_skew = 60;
  bool cds_static_tokens = false;
  struct Issuer {
    std::string iss;
    std::string jwks_path;         // resolved against the config's folder
    SourceLocation jwks_location;  // of the `jwks` entry, for errors about its keys
  };
  std::vector<Issuer> issuers;
  std::vector<std::string> static_tokens;  // SHA-256 hex of each token
};

// false (with located errors in `diagnostics`) when the file is unreadable
// or invalid.
bool read_auth_config(const std::string& path, AuthConfig& config, Diagnostics& diagnostics);

}  // namespace fascia::serve
