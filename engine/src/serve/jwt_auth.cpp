#include "jwt_auth.hpp"

#include "auth_config.hpp"
#include "util.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace fascia::serve {

using Json = nlohmann::json;

struct JwtKey {
  std::string kid;
  std::string kty;  // RSA or EC
  EVP_PKEY* pkey = nullptr;
  ~JwtKey() { EVP_PKEY_free(pkey); }
};

namespace {

bool base64url_decode(std::string_view in, std::string& out) {
  out.clear();
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-')
      v = 62;
    else if (c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return false;
    buffer = (buffer << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((buffer >> bits) & 0xff);
    }
  }
  return true;
}

BIGNUM* bignum(const std::string& b64) {
  std::string raw;
  if (!base64url_decode(b64, raw) || raw.empty()) return nullptr;
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), int(raw.size()), nullptr);
}

// A JWK (RSA, or EC P-384) as an OpenSSL public key; nullptr if malformed.
EVP_PKEY* key_from_jwk(const Json& jwk, std::string& why) {
  const std::string kty = jwk.value("kty", "");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  EVP_PKEY* pkey = nullptr;
  BIGNUM *n = nullptr, *e = nullptr;
  std::string point;
  if (kty == "RSA") {
    n = bignum(jwk.value("n", ""));
    e = bignum(jwk.value("e", ""));
    if (!n || !e)
      why = "RSA key without valid n and e";
    else {
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
      ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    }
  } else if (kty == "EC") {
    std::string x, y;
    if (jwk.value("crv", "") != "P-384")
      why = "EC key on a curve other than P-384";
    else if (!base64url_decode(jwk.value("x", ""), x) || !base64url_decode(jwk.value("y", ""), y) ||
             x.size() != 48 || y.size() != 48)
      why = "EC key without valid x and y";
    else {
      point = std::string(1, '\x04') + x + y;
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0);
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
      ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    }
  } else {
    why = "key type '" + kty + "' is not RSA or EC";
  }
  if (ctx) {
    params = OSSL_PARAM_BLD_to_param(bld);
    if (!params || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
      why = "OpenSSL refused the key";
      pkey = nullptr;
    }
  }
  OSSL_PARAM_free(params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_BLD_free(bld);
  BN_free(n);
  BN_free(e);
  return pkey;
}

bool verify_signature(const JwtKey& key, const std::string& alg, std::string_view input,
                      const std::string& signature) {
  std::string der;
  const std::string* sig = &signature;
  if (alg == "ES384") {
    if (signature.size() != 96) return false;
    ECDSA_SIG* s = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 48, nullptr);
    BIGNUM* v =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + 48, 48, nullptr);
    ECDSA_SIG_set0(s, r, v);
    unsigned char* buf = nullptr;
    const int len = i2d_ECDSA_SIG(s, &buf);
    if (len > 0) der.assign(reinterpret_cast<char*>(buf), std::size_t(len));
    OPENSSL_free(buf);
    ECDSA_SIG_free(s);
    if (der.empty()) return false;
    sig = &der;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, key.pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Authenticator::Authenticator() = default;
Authenticator::~Authenticator() = default;

bool Authenticator::load(const std::string& path, Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.size();
  AuthConfig config;
  if (!read_auth_config(path, config, diagnostics)) return false;
  audience_base_ = config.audience_base;
  replay_window_ = config.replay_window;
  clock_skew_ = config.clock_skew;
  cds_static_tokens_ = config.cds_static_tokens;
  static_tokens_ = config.static_tokens;
  auto error = [&](const AuthConfig::Issuer& issuer, std::string message) {
    diagnostics.push_back(Diagnostic{Severity::error, issuer.jwks_location, std::move(message)});
  };
  for (const auto& configured : config.issuers) {
    Issuer issuer;
    issuer.iss = configured.iss;
    std::ifstream in(configured.jwks_path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const Json jwks = Json::parse(text.str(), nullptr, false);
    if (!in || jwks.is_discarded() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
      error(configured,
            "cannot read a JWKS ({\"keys\": [...]}) from '" + configured.jwks_path + "'");
      continue;
    }
    for (const auto& jwk : jwks["keys"]) {
      std::string why;
      auto key = std::make_shared<JwtKey>();
      key->kid = jwk.is_object() ? jwk.value("kid", "") : "";
      key->kty = jwk.is_object() ? jwk.value("kty", "") : "";
      key->pkey = jwk.is_object() ? key_from_jwk(jwk, why) : nullptr;
      if (!key->pkey) {
        error(configured, configured.jwks_path + ": key '" + key->kid + "': " + why);
        continue;
      }
      issuer.keys.push_back(std::move(key));
    }
    issuers_.push_back(std::move(issuer));
  }
  enabled_ = true;
  return !has_errors(Diagnostics(diagnostics.begin() + long(before), diagnostics.end()));
}

bool Authenticator::check(const std::string& authorization, const std::string& path, Scope scope,
                          std::string& why) {
  if (!enabled_) return true;
  static const std::string bearer = "Bearer ";
  if (authorization.size() <= bearer.size() ||
      !std::equal(bearer.begin(), bearer.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    why = "no bearer token";
    return false;
  }
  const std::string token = authorization.substr(bearer.size());
  if (token.find('.') == std::string::npos) {
    if (scope == Scope::cds_hooks && !cds_static_tokens_) {
      why = "CDS Hooks calls need a signed JWT";
      return false;
    }
    const std::string h = sha256_hex(token);
    bool ok = false;
    for (const auto& t : static_tokens_) ok |= CRYPTO_memcmp(t.data(), h.data(), 64) == 0;
    if (!ok) why = "unknown static token";
    return ok;
  }
  return verify_jwt(token, path, why);
}

bool Authenticator::verify_jwt(const std::string& token, const std::string& path,
                               std::string& why) {
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) {
    why = "not a compact JWS";
    return false;
  }
  std::string header_text, claims_text, signature;
  if (!base64url_decode(std::string_view(token).substr(0, dot1), header_text) ||
      !base64url_decode(std::string_view(token).substr(dot1 + 1, dot2 - dot1 - 1), claims_text) ||
      !base64url_decode(std::string_view(token).substr(dot2 + 1), signature)) {
    why = "bad base64url";
    return false;
  }
  const Json header = Json::parse(header_text, nullptr, false);
  const Json claims = Json::parse(claims_text, nullptr, false);
  if (!header.is_object() || !claims.is_object()) {
    why = "header or claims are not JSON objects";
    return false;
  }
  const std::string alg = header.value("alg", "");
  if (alg != "RS384" && alg != "ES384") {
    why = "alg must be RS384 or ES384";
    return false;
  }
  const std::string iss = claims.contains("iss") && claims["iss"].is_string()
                              ? claims["iss"].get<std::string>()
                              : std::string();
  const Issuer* issuer = nullptr;
  for (const auto& i : issuers_)
    if (i.iss == iss) issuer = &i;
  if (!issuer) {
    why = "issuer not allowed";
    return false;
  }
  const std::string kid = header.contains("kid") && header["kid"].is_string()
                              ? header["kid"].get<std::string>()
                              : std::string();
  const std::string kty = alg == "RS384" ? "RSA" : "EC";
  bool verified = false;
  for (const auto& key : issuer->keys)
    if (key->kty == kty && (kid.empty() || key->kid == kid) &&
        verify_signature(*key, alg, std::string_view(token).substr(0, dot2), signature)) {
      verified = true;
      break;
    }
  if (!verified) {
    why = "signature does not verify with the issuer's keys";
    return false;
  }
  const std::string expected_aud = audience_base_ + path;
  bool aud_ok = false;
  if (claims.contains("aud")) {
    const auto& aud = claims["aud"];
    if (aud.is_string()) aud_ok = aud.get<std::string>() == expected_aud;
    if (aud.is_array())
      for (const auto& a : aud) aud_ok |= a.is_string() && a.get<std::string>() == expected_aud;
  }
  if (!aud_ok) {
    why = "aud is not " + expected_aud;
    return false;
  }
  const std::int64_t now = now_seconds();
  if (!claims.contains("exp") || !claims["exp"].is_number() ||
      claims["exp"].get<double>() + double(clock_skew_) < double(now)) {
    why = "expired or no exp";
    return false;
  }
  const auto exp = std::int64_t(claims["exp"].get<double>());
  if (exp > now + replay_window_ + clock_skew_) {
    why = "exp is further ahead than the replay window";
    return false;
  }
  if (!claims.contains("iat") || !claims["iat"].is_number() ||
      claims["iat"].get<double>() > double(now + clock_skew_)) {
    why = "iat missing or in the future";
    return false;
  }
  if (!claims.contains("jti") || !claims["jti"].is_string() ||
      claims["jti"].get<std::string>().empty()) {
    why = "no jti";
    return false;
  }
  std::lock_guard lock(replay_mutex_);
  if (now != last_purge_) {  // at most once a second
    last_purge_ = now;
    for (auto it = seen_jti_.begin(); it != seen_jti_.end();)
      it = it->second + clock_skew_ < now ? seen_jti_.erase(it) : std::next(it);
  }
  if (!seen_jti_.emplace(iss + " " + claims["jti"].get<std::string>(), exp).second) {
    why = "jti replayed";
    return false;
  }
  return true;
}

}  // namespace fascia::serve
