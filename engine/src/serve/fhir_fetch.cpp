// FHIR server fetch (fhir_fetch.hpp): Boost.Beast client, TLS via OpenSSL
// with the system's CA store and host name verification.
#include "fhir_fetch.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>

#include <optional>

namespace fascia::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Url {
  bool tls = false;
  std::string host, port, path;  // path without a trailing '/'
};

std::optional<Url> parse_url(const std::string& url) {
  Url u;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!u.path.empty() && u.path.back() == '/') u.path.pop_back();
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.size() > 1 && u.host.front() == '[' && u.host.back() == ']')
    u.host = u.host.substr(1, u.host.size() - 2);
  for (char c : u.path + u.host + u.port)
    if (c <= 32 || c >= 127) return std::nullopt;
  return u;
}

// '|' (system|code) and ',' stay meaningful to FHIR but not to every parser.
std::string encode_query(const std::string& query) {
  std::string out;
  for (char c : query) {
    if (c == '|')
      out += "%7C";
    else if (c == ' ')
      out += "%20";
    else
      out += c;
  }
  return out;
}

template <class Stream>
void exchange(Stream& stream, tcp::resolver& resolver, const Url& url,
              http::request<http::empty_body>& req,
              http::response_parser<http::string_body>& parser, beast::flat_buffer& buffer,
              std::string& error, bool& done) {
  auto& lowest = beast::get_lowest_layer(stream);
  resolver.async_resolve(
      url.host, url.port, [&](beast::error_code ec, tcp::resolver::results_type r) {
        if (ec) return void(error = "cannot resolve " + url.host);
        lowest.async_connect(r, [&](beast::error_code ec2, const tcp::endpoint&) {
          if (ec2) return void(error = "cannot connect to " + url.host + ":" + url.port);
          auto send = [&] {
            http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
              if (ec3) return void(error = "cannot send the request");
              http::async_read(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
                if (ec4 == http::error::body_limit)
                  return void(error = "the response is too large");
                if (ec4) return void(error = "no complete response (" + ec4.message() + ")");
                done = true;
              });
            });
          };
          if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            send();
          } else {
            stream.async_handshake(ssl::stream_base::client, [&, send](beast::error_code ec5) {
              if (ec5) return void(error = "TLS handshake failed (" + ec5.message() + ")");
              send();
            });
          }
        });
      });
}

}  // namespace

FhirFetch fhir_get(const std::string& base_url, const std::string& query, const std::string& bearer,
                   Clock::time_point deadline, std::size_t max_bytes) {
  FhirFetch out;
  const auto url = parse_url(base_url);
  if (!url) {
    out.error = "fhirServer is not an http(s) URL";
    return out;
  }
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) {
    out.error = "no time left before the request deadline";
    return out;
  }
  try {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    http::request<http::empty_body> req{http::verb::get, url->path + "/" + encode_query(query), 11};
    req.set(http::field::host, url->host);
    req.set(http::field::accept, "application/fhir+json");
    req.set(http::field::user_agent, "fascia-serve");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_bytes);
    beast::flat_buffer buffer;
    bool done = false;
    std::optional<ssl::context> tls;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    if (url->tls) {
      tls.emplace(ssl::context::tls_client);
      tls->set_default_verify_paths();
      tls->set_verify_mode(ssl::verify_peer);
      secure.emplace(ioc, *tls);
      if (!SSL_set_tlsext_host_name(secure->native_handle(), url->host.c_str())) {
        out.error = "cannot set the TLS server name";
        return out;
      }
      secure->set_verify_callback(ssl::host_name_verification(url->host));
      beast::get_lowest_layer(*secure).expires_after(left);
      exchange(*secure, resolver, *url, req, parser, buffer, out.error, done);
    } else {
      plain.emplace(ioc);
      plain->expires_after(left);
      exchange(*plain, resolver, *url, req, parser, buffer, out.error, done);
    }
    ioc.run_for(std::chrono::duration_cast<std::chrono::milliseconds>(left) +
                std::chrono::milliseconds(50));
    if (!done) {
      if (out.error.empty()) out.error = "no answer before the request deadline";
      return out;
    }
    const auto& res = parser.get();
    if (res.result_int() != 200) {
      out.error = "HTTP " + std::to_string(res.result_int());
      return out;
    }
    out.resource = nlohmann::json::parse(res.body(), nullptr, false);
    if (out.resource.is_discarded() || !out.resource.is_object()) {
      out.error = "the answer is not a FHIR resource (JSON object)";
      out.resource = nullptr;
      return out;
    }
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = std::string("fetch failed: ") + e.what();
  }
  return out;
}

}  // namespace fascia::serve
