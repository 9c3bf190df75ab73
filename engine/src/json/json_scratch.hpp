#pragma once
// Per-thread scratch vectors the JSON reader collects members in, one per
// nesting level (json_document.cpp).

#include "yaml/document.hpp"

#include <deque>
#include <utility>
#include <vector>

namespace fascia::detail::json {

using yaml::Node;

using Entry = std::pair<Node, Node>;

// Members of the collections being read, one vector per nesting level,
// kept from line to line by each thread: a collection's members are
// collected in a vector that already has room for them (the size of the
// previous collection at that level), which then becomes the collection's
// own, instead of growing (and moving) a vector per collection. A deque
// keeps the levels in place while deeper ones are added.
template <class T>
std::deque<std::vector<T>>& scratch_levels() {
  thread_local std::deque<std::vector<T>> levels;
  return levels;
}
inline std::deque<std::vector<Entry>>& scratch_entries() { return scratch_levels<Entry>(); }
inline std::deque<std::vector<Node>>& scratch_items() { return scratch_levels<Node>(); }

template <class T>
class Scratch {
 public:
  Scratch(std::deque<std::vector<T>>& levels, std::size_t depth) {
    while (levels.size() <= depth) levels.emplace_back();
    vector_ = &levels[depth];
    vector_->clear();
  }
  ~Scratch() {
    vector_->clear();
    // Do not keep the memory of a huge collection for the thread's life.
    if (vector_->capacity() > 1024) std::vector<T>().swap(*vector_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::vector<T>* operator->() const noexcept { return vector_; }
  std::vector<T>& operator*() const noexcept { return *vector_; }
  // Hands the members over whole (`out` is the new, empty collection: no
  // member is moved) and leaves room at this level for as many members as
  // this collection had, the likely size of the next one (its spare room is
  // bounded by the previous collection at the same level).
  void move_into(std::vector<T>& out) {
    const std::size_t size = vector_->size();
    out.swap(*vector_);
    vector_->reserve(size);
  }

 private:
  std::vector<T>* vector_;
};

}  // namespace fascia::detail::json
