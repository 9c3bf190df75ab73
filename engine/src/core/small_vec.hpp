#pragma once
// SmallVec: the session planner's short working lists, inline up to N.

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace fascia::detail {

// A vector that keeps its first N elements inline: an evaluation's working
// lists are short, and a heap allocation each would cost more than the work.
// Only what the evaluation needs: append, iterate, index.
template <class T, std::size_t N>
class SmallVec {
 public:
  SmallVec() = default;
  SmallVec(const SmallVec&) = delete;
  SmallVec& operator=(const SmallVec&) = delete;
  ~SmallVec() {
    std::destroy(data_, data_ + size_);
    if (data_ != inline_data()) std::allocator<T>().deallocate(data_, capacity_);
  }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) grow();
    T* slot = ::new (static_cast<void*>(data_ + size_)) T(std::forward<Args>(args)...);
    ++size_;
    return *slot;
  }
  void push_back(T item) { emplace_back(std::move(item)); }

  T* begin() noexcept { return data_; }
  T* end() noexcept { return data_ + size_; }
  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T& back() noexcept { return data_[size_ - 1]; }

 private:
  T* inline_data() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }

  void grow() {
    const std::size_t capacity = 2 * capacity_;
    T* data = std::allocator<T>().allocate(capacity);
    std::uninitialized_move(data_, data_ + size_, data);
    std::destroy(data_, data_ + size_);
    if (data_ != inline_data()) std::allocator<T>().deallocate(data_, capacity_);
    data_ = data;
    capacity_ = capacity;
  }

  alignas(T) unsigned char storage_[N * sizeof(T)];
  T* data_ = inline_data();
  std::size_t size_ = 0;
  std::size_t capacity_ = N;
};

}  // namespace fascia::detail
