#include "common/did_you_mean.hpp"

#include <algorithm>

namespace fascia::detail {

namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

template <class Candidates>
std::string_view closest(std::string_view word, const Candidates& candidates) {
  const std::size_t limit = max_spelling_distance(word);
  std::string_view best;
  if (limit == 0) return best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::string_view text(candidate);
    // Length alone rules out most candidates cheaply.
    const std::size_t gap =
        text.size() > word.size() ? text.size() - word.size() : word.size() - text.size();
    if (gap >= best_distance) continue;
    const std::size_t distance = spelling_distance(word, text);
    if (distance < best_distance) {
      best = text;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace

std::size_t spelling_distance(std::string_view a, std::string_view b) {
  // Three rows of the distance table: two back, one back, this one.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

std::size_t max_spelling_distance(std::string_view word) noexcept {
  if (word.size() <= 1) return 0;
  return std::clamp<std::size_t>(word.size() / 3, 1, 3);
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  return std::string(closest(word, candidates));
}

std::string_view closest_match(std::string_view word,
                               const std::vector<std::string_view>& candidates) {
  return closest(word, candidates);
}

std::vector<std::string_view> suggestions(std::string_view word,
                                          const std::vector<std::string_view>& candidates) {
  if (const std::string_view close = closest(word, candidates); !close.empty()) return {close};
  std::vector<std::string_view> out;
  if (word.size() < 3) return out;
  const auto boundary = [](char c) { return c == '.' || c == '_'; };
  for (const std::string_view candidate : candidates) {
    for (std::size_t at = candidate.find(word); at != std::string_view::npos;
         at = candidate.find(word, at + 1)) {
      const std::size_t end = at + word.size();
      if ((at == 0 || boundary(candidate[at - 1])) &&
          (end == candidate.size() || boundary(candidate[end]))) {
        out.push_back(candidate);
        break;
      }
    }
  }
  if (out.size() > 3) out.clear();
  return out;
}

}  // namespace fascia::detail
