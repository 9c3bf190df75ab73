#pragma once
// A small streaming JSON writer: the recommendation is written straight into
// one string (a DOM library spends most of its time allocating nodes, and
// batch mode writes hundreds of thousands of these). Keys are written in the
// order given, so identical input gives byte-identical output.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fascia::detail {

// Whether `s` (4 to 31 bytes) needs no escaping (printable ASCII but '"'
// and '\\'); with `Copy`, copied to `out` when it does not. Its first and
// last sixteen, eight or four bytes, overlapping, are tested as one vector
// (a word-at-a-time test of the two cost about 60 instructions a string,
// this 15; 16 to 31 bytes out of line in write_string() about 55). False
// where SSE2 is not there: the caller's general path then runs.
template <bool Copy>
[[gnu::always_inline]] inline bool short_plain(std::string_view s,
                                               [[maybe_unused]] char* out = nullptr) {
#if defined(__SSE2__)
  const std::size_t n = s.size();
  // Signed: bytes from 0x80 are below a space too.
  const auto bad = [](__m128i x) {
    return _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
  };
  if (n >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data()));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + n - 16));
    if (_mm_movemask_epi8(_mm_or_si128(bad(x), bad(y))) != 0) return false;
    if constexpr (Copy) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), x);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), y);
    }
    return true;
  }
  __m128i x;
  unsigned lanes = 0xFFFF;
  if (n >= 8) {
    x = _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.data())),
                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.data() + n - 8)));
  } else {
    std::int32_t first, last;
    std::memcpy(&first, s.data(), 4);
    std::memcpy(&last, s.data() + n - 4, 4);
    x = _mm_unpacklo_epi32(_mm_cvtsi32_si128(first), _mm_cvtsi32_si128(last));
    lanes = 0xFF;
  }
  if ((static_cast<unsigned>(_mm_movemask_epi8(bad(x))) & lanes) != 0) return false;
  if constexpr (Copy) {
    if (n >= 8) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out), x);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out + n - 8), _mm_unpackhi_epi64(x, x));
    } else {
      std::memcpy(out, s.data(), 4);
      std::memcpy(out + n - 4, s.data() + n - 4, 4);
    }
  }
  return true;
#else
  (void)s;
  return false;
#endif
}

class JsonWriter {
 public:
  // One value (an object, array or scalar) on one line, no spaces
  // (append_pretty() indents it). Appends to `out`, which is only complete
  // after finish().
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Moves what is still buffered into `out`.
  void finish() { flush(); }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // Inlined (fascia batch: about ten a line, the parameters' names).
  void key(std::string_view name) {
    before_value();
    write_string(name, ':');
    after_key_ = true;
  }
  // A key written as a literal in the code (the contract's field names, about
  // ninety per recommendation): inlined, its length known at compile time,
  // and copied without the escape scan. Anything else that arrives here (a
  // char array holding a shorter string, a name needing escapes) takes the
  // general path. Always inlined, so those checks fold away for a literal.
  template <std::size_t N>
  [[gnu::always_inline]] void key(const char (&name)[N]) {
    constexpr std::size_t length = N - 1;
    if (length > 60 || name[length] != '\0' || !is_identifier(name, length))
      return key(std::string_view(name));
    before_value();
    char* p = room(length + 3);
    p[0] = '"';
    std::memcpy(p + 1, name, length);
    p[length + 1] = '"';
    p[length + 2] = ':';
    pos_ = p + length + 3;
    after_key_ = true;
  }

  void value(std::string_view text) {
    before_value();
    write_string(text);
  }
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(bool b);
  void value(std::int64_t n) {
    before_value();
    number(n);
  }
  void value(int n) { value(static_cast<std::int64_t>(n)); }
  void value(double d);
  void null();
  // A string value written in pieces: open_string(), each piece escaped as
  // value() escapes it (a piece must not end inside a UTF-8 sequence that
  // the next one completes), then close_string().
  void open_string() { put('"'); }
  void string_piece(std::string_view text);
  // A whole number inside a string (no quotes, no comma).
  void number(std::int64_t n) { pos_ = put_number(room<24>(), n); }
  void close_string() { put('"'); }
  // The document written as fragments (contract_json.hpp): the caller's
  // texts hold the commas, colons and brackets, and no element, key or
  // container is counted (about 1,500 instructions a recommendation fewer
  // than keys and values). Not mixed with the calls above in one document.
  // lit(): a literal; text(): JSON already written (a quoted string,
  // members), copied sixteen bytes at a time, so its storage must have 15
  // readable bytes after its end (a string reserved for them);
  // string(): a string value quoted and escaped, then `after` unless '\0';
  // number() above; comma_if(): a comma when `more`.
  template <std::size_t N>
  [[gnu::always_inline]] void lit(const char (&literal)[N]) {
    static_assert(N - 1 <= 64);
    char* p = room<N - 1>();
    std::memcpy(p, literal, N - 1);
    pos_ = p + N - 1;
  }
  // lit() then number(), with one room() test.
  template <std::size_t N>
  [[gnu::always_inline]] void lit(const char (&literal)[N], std::int64_t n) {
    static_assert(N - 1 <= 64);
    char* p = room<N - 1 + 24>();
    std::memcpy(p, literal, N - 1);
    pos_ = put_number(p + N - 1, n);
  }
  void text(std::string_view json) { put_padded(json); }
  // Strings of 4 to 31 bytes (most names and values) tested and copied
  // inline, the rest in write_string().
  void string(std::string_view text, char after = '\0') {
    const std::size_t n = text.size();
    char* p = pos_;
    if (n - 4 < 28 && p <= limit_ && short_plain<true>(text, p + 1)) [[likely]] {
      p[0] = '"';
      p[n + 1] = '"';
      p[n + 2] = after;
      pos_ = p + n + (after ? 3 : 2);
      return;
    }
    write_string(text, after);
  }
  void boolean(bool b);
  void real(double d);
  // Without a room() test, as before_value(): the comma may go into the
  // byte to spare after end_, and the next fragment (always tested, never
  // a second comma) flushes it.
  void comma_if(bool more) {
    *pos_ = ',';
    pos_ += more;
  }

 private:
  // Room for `n` (at most buffer_size) more bytes, at the returned position.
  // Signed: pos_ may be one past end_ after before_value().
  char* room(std::size_t n) {
    if (end_ - pos_ < static_cast<std::ptrdiff_t>(n)) [[unlikely]]
      flush();
    return pos_;
  }
  // room() for a fixed size (at most `slack`): one comparison, with limit_
  // (fascia batch: about 200 instructions a line fewer).
  template <std::size_t N>
  char* room() {
    static_assert(N <= slack);
    if (pos_ > limit_) [[unlikely]]
      flush();
    return pos_;
  }
  [[gnu::noinline]] void flush();
  void put(char c) { *room<1>() = c, ++pos_; }
  void put(std::string_view text) {
    if (static_cast<std::ptrdiff_t>(text.size()) > end_ - pos_) return put_long(text);
    std::memcpy(pos_, text.data(), text.size());
    pos_ += text.size();
  }
  void put_long(std::string_view text);
  // put() of a text with 15 readable bytes after it: up to 96 bytes (most
  // are 10-60) sixteen at a time without a memcpy call, their room tested
  // against limit_; longer ones by put()'s memcpy (fascia batch: 175
  // instructions a line fewer than the loop).
  void put_padded(std::string_view text) {
    const std::size_t n = text.size();
    char* p = pos_;
    if (n > 96 || p > limit_) [[unlikely]]
      return put(text);
    for (std::size_t k = 0; k < n; k += 16) copy16(p + k, text.data() + k);
    pos_ = p + n;
  }
  static void copy16(char* to, const char* from) {
#if defined(__SSE2__)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(from)));
#else
    std::memcpy(to, from, 16);
#endif
  }
  // The comma before an element that is not its container's first (the
  // one value at the top level has none), written without a branch or a
  // room() test: the buffer has a byte to spare after end_ (fascia batch:
  // 190 instructions a line fewer).
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    *pos_ = ',';
    pos_ += has_element_ & 1;
    has_element_ |= 1;
  }
  // Inlined (fascia batch: 26 of each a line, ~40 instructions a call out
  // of line).
  void open(char bracket) {
    before_value();
    put(bracket);
    if (depth_ >= 64) [[unlikely]]
      push_deep();
    has_element_ <<= 1;
    ++depth_;
  }
  void close(char bracket) {
    has_element_ >>= 1;
    --depth_;
    if (depth_ >= 64) [[unlikely]]
      pop_deep();
    put(bracket);
  }
  [[gnu::noinline]] void push_deep();
  [[gnu::noinline]] void pop_deep();
  static char* write_integer(char* at, std::int64_t n);
  // n at `p` (24 bytes of room), returning the end.
  static char* put_number(char* p, std::int64_t n) {
    // One or two digits (most numbers of a recommendation) without to_chars.
    if (static_cast<std::uint64_t>(n) < 10) {
      p[0] = static_cast<char>('0' + n);
      return p + 1;
    }
    if (static_cast<std::uint64_t>(n) < 100) {
      p[0] = static_cast<char>('0' + n / 10);
      p[1] = static_cast<char>('0' + n % 10);
      return p + 2;
    }
    return write_integer(p, n);
  }
  // `text` quoted and escaped, then `after` unless it is '\0'.
  void write_string(std::string_view text, char after = '\0');
  [[gnu::noinline]] void write_string_slow(std::string_view text, char after);
  // s[i...] escaped, no quotes.
  void write_escaped(std::string_view s, std::size_t i);
  // Unrolled whole, so that it folds away for a literal (GCC folded keys of
  // up to 12 characters only: the four longer keys of a recommendation cost
  // 230 instructions a batch line).
  static bool is_identifier(const char* text, std::size_t length) noexcept {
#pragma GCC unroll 64
    for (std::size_t i = 0; i < length; ++i) {
      const char c = text[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
  }

  // Text goes to a buffer here first and into `out_` 4 KB at a time: each
  // std::string append has a cost of its own (a recommendation is about
  // 3.2 KB: one append; 1 KB took 256 instructions a batch line more).
  static constexpr std::size_t buffer_size = 4096;
  std::string& out_;
  char buffer_[buffer_size + 1];
  char* pos_ = buffer_;
  char* end_ = buffer_ + buffer_size;
  static constexpr std::size_t slack = 96;
  char* limit_ = end_ - slack;  // room<N>(), string() and text() flush beyond it
  // Per open container, innermost in bit 0: has it written an element yet?
  // Containers nested deeper than 64 keep their outer bits in `deep_`.
  std::uint64_t has_element_ = 0;
  std::size_t depth_ = 0;
  std::vector<bool> deep_;
  bool after_key_ = false;
};

// The one-line JSON `compact` (as JsonWriter writes it) appended to `out`
// indented by two spaces a level: one member or element a line, "key": value.
void append_pretty(std::string_view compact, std::string& out);

}  // namespace fascia::detail
