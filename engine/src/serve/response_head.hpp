#pragma once
// The status line and header fields of a response, written into one string
// that goes out with the body in one gather write (http_session.hpp). The
// same fields, in the same order, as Beast's serializer wrote from a
// response message (Beast still parses every request); written directly it
// costs about a tenth of the instructions, and the string is reused from
// one response to the next.

#include "service.hpp"

#include <cstddef>
#include <string>

namespace fascia::serve {

// Server, Content-Type (unless empty), X-Decision-Id, the CORS and
// Cache-Control fields, `rs.headers`, Connection (HTTP/1.1 closing, or
// HTTP/1.0 kept alive), Content-Length, then the blank line.
void write_response_head(std::string& out, unsigned version, const Response& rs, bool keep_alive,
                         std::size_t content_length);

}  // namespace fascia::serve
