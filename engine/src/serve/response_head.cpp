#include "response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace fascia::serve {

namespace {

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

void write_response_head(std::string& out, unsigned version, const Response& rs, bool keep_alive,
                         std::size_t content_length) {
  namespace http = boost::beast::http;
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  append_number(out, rs.status);
  out += ' ';
  out += http::obsolete_reason(static_cast<http::status>(rs.status));
  out += "\r\n";
  append_field(out, "Server", "fascia");
  if (!rs.content_type.empty()) append_field(out, "Content-Type", rs.content_type);
  append_field(out, "X-Decision-Id", rs.decision_id);
  append_field(out, "Access-Control-Allow-Origin", "*");
  append_field(out, "Access-Control-Expose-Headers", "X-Decision-Id");
  append_field(out, "Cache-Control", "no-store");
  for (const auto& [name, value] : rs.headers) append_field(out, name, value);
  if (version != 10 && !keep_alive) append_field(out, "Connection", "close");
  if (version == 10 && keep_alive) append_field(out, "Connection", "keep-alive");
  out += "Content-Length: ";
  append_number(out, content_length);
  out += "\r\n\r\n";
}

}  // namespace fascia::serve
