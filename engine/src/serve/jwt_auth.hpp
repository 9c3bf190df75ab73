#pragma once
// Who may call the server (--auth-config, docs/serve.md "Authentication").
// CDS Hooks: the EHR signs a JWT per request (RS384 or ES384) with a key of
// its JWKS; we check the issuer against an allow-list, the signature with
// that issuer's keys only (a token of one issuer never verifies with
// another's key), `aud` = our base URL + the request path, `exp`, `iat`,
// and refuse a `jti` seen before (replay window). The JSON API accepts the
// same JWTs or a static bearer token from the list. OpenSSL EVP does the
// cryptography; nlohmann-json reads the JOSE header, claims and JWKS.

#include <fascia/diagnostic.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fascia::serve {

struct JwtKey;

class Authenticator {
 public:
  Authenticator();
  ~Authenticator();
  // Reads the config (YAML) and the JWKS files it names (relative to it).
  bool load(const std::string& path, Diagnostics& diagnostics);
  bool enabled() const { return enabled_; }

  enum class Scope { cds_hooks, json_api };
  // `authorization` is the Authorization header; `path` the request path.
  // true when the request may proceed. `why` (for tests and debug logs
  // only, never sent to the client) says why not.
  bool check(const std::string& authorization, const std::string& path, Scope scope,
             std::string& why);

 private:
  bool verify_jwt(const std::string& token, const std::string& path, std::string& why);
  bool enabled_ = false;
  std::string audience_base_;
  std::int64_t replay_window_ = 300;
  std::int64_t clock_skew_ = 60;
  bool cds_static_tokens_ = false;
  struct Issuer {
    std::string iss;
    std::vector<std::shared_ptr<JwtKey>> keys;
  };
  std::vector<Issuer> issuers_;
  std::vector<std::string> static_tokens_;
  std::mutex replay_mutex_;
  std::map<std::string, std::int64_t> seen_jti_;  // iss + " " + jti -> exp
  std::int64_t last_purge_ = 0;
};

}  // namespace fascia::serve
