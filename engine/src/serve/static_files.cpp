// Static files from the web root (the therapists' what-if page): GET only,
// percent-decoded, no "." / ".." segments, no hidden files, and the real
// path (symbolic links resolved) must stay inside the root.
#include "service.hpp"

#include "util.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fascia::serve {

namespace fs = std::filesystem;

namespace {

bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
      return false;
    out += char(std::stoi(in.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return true;
}

const char* content_type(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  if (ext == ".yaml" || ext == ".yml") return "application/yaml";
  return "application/octet-stream";
}

const char* index_page =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fascia serve</title>"
    "</head><body><h1>fascia serve</h1><p>The fascia rules engine as a CDS Hooks service and a "
    "JSON API.</p><ul><li><a href=\"/cds-services\">/cds-services</a> (CDS Hooks discovery)</li>"
    "<li><a href=\"/v1/protocols\">/v1/protocols</a></li><li><a href=\"/healthz\">/healthz</a>"
    "</li><li><a href=\"/metrics\">/metrics</a></li></ul><p>See docs/serve.md.</p></body></html>";

}  // namespace

Response Service::static_file(const std::string& raw_path, Response rs) {
  auto not_found = [&] {
    rs.status = 404;
    rs.content_type = "application/json";
    rs.route = "not_found";
    rs.body = error_body("no such endpoint or file", rs.decision_id);
    return rs;
  };
  std::string path;
  if (!percent_decode(raw_path, path) || path.empty() || path[0] != '/' ||
      path.find('\0') != std::string::npos || path.find('\\') != std::string::npos)
    return not_found();
  // Every segment must be a plain name: no ".", "..", hidden files.
  for (std::size_t start = 1; start < path.size();) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, slash - start);
    if (segment.empty() && slash != path.size()) return not_found();
    if (!segment.empty() && segment[0] == '.') return not_found();
    start = slash + 1;
  }
  if (path.back() == '/') path += "index.html";
  if (web_root_.empty()) {
    if (path != "/index.html") return not_found();
    rs.content_type = "text/html; charset=utf-8";
    rs.body = index_page;
    return rs;
  }
  std::error_code ec;
  const fs::path root = fs::canonical(web_root_, ec);
  if (ec) return not_found();
  const fs::path file = fs::weakly_canonical(root / path.substr(1), ec);
  if (ec) return not_found();
  const std::string r = root.string() + "/", f = file.string();
  if (f.compare(0, r.size(), r) != 0 || !fs::is_regular_file(file, ec)) {
    if (path == "/index.html") {  // no page yet: a small index
      rs.content_type = "text/html; charset=utf-8";
      rs.body = index_page;
      return rs;
    }
    return not_found();
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return not_found();
  rs.content_type = content_type(file);
  rs.body = text.str();
  rs.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return rs;
}

}  // namespace fascia::serve
