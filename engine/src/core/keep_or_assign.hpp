#pragma once
// Writing over a reused value (a Recommendation rendered again, its home
// items merged): `to` is left as it is when it already holds `from` (most
// texts and parameters of a recommendation are those of the last one
// written over, and a short comparison inline costs less than a copy).
// Afterwards `to` is exactly `from`, bit for bit.

#include "common/same_text.hpp"

#include <fascia/param.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fascia::detail {

// Byte for byte: from 16 bytes on sixteen at a time (SSE2), the last
// sixteen overlapping, all the results combined before one branch (early
// exits and memcmp cost more: most texts compared are equal); shorter texts
// by same_text.
[[gnu::always_inline]] inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
#if defined(__SSE2__)
  if (n >= 16) {
    const auto same16 = [&](std::size_t at) {
      return _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a.data() + at)),
                            _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.data() + at)));
    };
    __m128i same = same16(n - 16);
    for (std::size_t i = 0; i + 16 < n; i += 16) same = _mm_and_si128(same, same16(i));
    return _mm_movemask_epi8(same) == 0xFFFF;
  }
#endif
  return same_text(a, b);
}

// to.assign(from) without its general case's checks when `to` already holds
// as many characters (a reused text rendered again: most reasons). `from`
// may be part of `to`.
[[gnu::always_inline]] inline void overwrite(std::string& to, std::string_view from) {
  if (from.size() <= to.size()) {
    if (!from.empty()) std::memmove(to.data(), from.data(), from.size());
    to.resize(from.size());
  } else {
    to.assign(from);
  }
}

[[gnu::always_inline]] inline void keep_or_assign(std::string& to, std::string_view from) {
  if (!same_bytes(to, from)) overwrite(to, from);
}

// Exactly the same value: numbers bit for bit (-0.0 and 0.0 are written
// differently), texts byte for byte.
[[gnu::always_inline]] inline bool same_value(const ParamValue& a, const ParamValue& b) {
  if (a.index() != b.index()) return false;
  switch (a.index()) {
    case 1:
      return *std::get_if<bool>(&a) == *std::get_if<bool>(&b);
    case 2:
      return *std::get_if<std::int64_t>(&a) == *std::get_if<std::int64_t>(&b);
    case 3:
      return std::bit_cast<std::uint64_t>(*std::get_if<double>(&a)) ==
             std::bit_cast<std::uint64_t>(*std::get_if<double>(&b));
    case 4:
      return same_bytes(*std::get_if<std::string>(&a), *std::get_if<std::string>(&b));
    case 5: {
      const auto& l = *std::get_if<std::vector<std::string>>(&a);
      const auto& m = *std::get_if<std::vector<std::string>>(&b);
      if (l.size() != m.size()) return false;
      for (std::size_t i = 0; i < m.size(); ++i)
        if (!same_bytes(l[i], m[i])) return false;
      return true;
    }
    default:  // null
      return true;
  }
}

// (Pointers, not indices: a Param is 72 bytes, and the texts written could
// alias the lists' sizes.)
[[gnu::always_inline]] inline void keep_or_assign(Params& to, const Params& from) {
  if (to.size() != from.size()) to.resize(from.size());
  Param* out = to.data();
  for (const Param& p : from) {
    keep_or_assign(out->name, p.name);
    if (!same_value(out->value, p.value)) out->value = p.value;
    ++out;
  }
}

// set_param() of `p`, written over the value it replaces only when it differs.
inline void keep_or_set(Params& params, const Param& p) {
  for (auto& q : params)
    if (same_bytes(q.name, p.name)) {
      if (!same_value(q.value, p.value)) q.value = p.value;
      return;
    }
  params.push_back(p);
}

// A list written over from its start: what it held keeps its memory, what
// is left over is dropped when the Overwrite goes. (Pointers, not indices:
// an index into a list of 136-byte elements costs a multiplication.)
template <class T>
class Overwrite {
 public:
  explicit Overwrite(std::vector<T>& list)
      : list_(list), at_(list.data()), end_(list.data() + list.size()) {}
  T& next() {
    if (at_ == end_) [[unlikely]] {
      list_.emplace_back();
      end_ = list_.data() + list_.size();
      at_ = end_ - 1;
    }
    return *at_++;
  }
  ~Overwrite() {
    if (at_ != end_) list_.resize(static_cast<std::size_t>(at_ - list_.data()));
  }

 private:
  std::vector<T>& list_;
  T* at_;
  T* end_;
};

}  // namespace fascia::detail
