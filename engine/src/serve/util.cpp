#include "util.hpp"

#include "json_path.hpp"

#include <openssl/sha.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

namespace fascia::serve {

std::string new_uuid() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }());
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  // 8-4-4-4-12 lower-case hex digits of a then b (not snprintf: this runs
  // for every request and every card).
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t at = 0;
  for (int i = 0; i < 32; ++i, ++at) {
    if (at == 8 || at == 13 || at == 18 || at == 23) ++at;  // the dashes
    const std::uint64_t word = i < 16 ? a : b;
    out[at] = hex[(word >> (60 - 4 * (i % 16))) & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char c : digest) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms));
  return out;
}

std::string utc_today() { return utc_now().substr(0, 10); }

std::string errors_body(const Diagnostics& diagnostics, std::string_view body,
                        const std::string& decision_id) {
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  const documents::JsonPathFinder paths(body, "<body>");
  for (const auto& d : diagnostics) {
    if (d.severity != Severity::error) continue;
    errors.push_back({{"line", d.location.line},
                      {"column", d.location.column},
                      {"path", paths.path(d.location.line, d.location.column)},
                      {"message", d.message}});
  }
  nlohmann::ordered_json out{{"errors", errors}, {"decision_id", decision_id}};
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string error_body(const std::string& message, const std::string& decision_id,
                       const std::string& path) {
  nlohmann::ordered_json out{
      {"errors", {{{"line", 0}, {"column", 0}, {"path", path}, {"message", message}}}},
      {"decision_id", decision_id}};
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace fascia::serve

namespace fascia::serve {

std::pair<std::size_t, std::size_t> member_span(std::string_view text, std::string_view key) {
  constexpr auto npos = std::string_view::npos;
  int depth = 0;
  bool expecting_key = false;
  std::string last_key;
  std::size_t value_start = npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t begin = i + 1;
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      if (depth == 1 && expecting_key) {
        last_key = std::string(text.substr(begin, i - begin));
        expecting_key = false;
      }
      continue;
    }
    if (c == ':' && depth == 1 && value_start == npos && last_key == key) {
      std::size_t j = i + 1;
      while (j < text.size() &&
             (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r'))
        ++j;
      value_start = j;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
      if (depth == 1) expecting_key = true;
    } else if (c == '}' || c == ']') {
      if (depth == 1 && value_start != npos) return {value_start, i};
      --depth;
    } else if (c == ',' && depth == 1) {
      if (value_start != npos) {
        std::size_t end = i;
        while (end > value_start && (text[end - 1] == ' ' || text[end - 1] == '\n' ||
                                     text[end - 1] == '\r' || text[end - 1] == '\t'))
          --end;
        return {value_start, end};
      }
      expecting_key = true;
      last_key.clear();
    }
  }
  return {npos, npos};
}

std::pair<std::uint32_t, std::uint32_t> line_column(std::string_view text, std::size_t offset) {
  std::uint32_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

void shift_locations(Diagnostics& diagnostics, std::string_view whole, std::size_t offset) {
  const auto [line, column] = line_column(whole, offset);
  for (auto& d : diagnostics) {
    if (d.location.line == 0) continue;
    if (d.location.line == 1) d.location.column += column - 1;
    d.location.line += line - 1;
  }
}

}  // namespace fascia::serve
