#include "allocation_counter.h"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> g_allocations{0};
std::atomic<long long> g_live_bytes{0};
std::atomic<long long> g_peak_live_bytes{0};

void Held(void* p) {
  const long long size = static_cast<long long>(malloc_usable_size(p));
  const long long live = g_live_bytes.fetch_add(size, std::memory_order_relaxed) + size;
  long long peak = g_peak_live_bytes.load(std::memory_order_relaxed);
  while (live > peak && !g_peak_live_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {}
}

void Release(void* p) {
  if (p != nullptr) g_live_bytes.fetch_sub(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

long AllocationCount() { return g_allocations.load(std::memory_order_relaxed); }

long long LiveBytes() { return g_live_bytes.load(std::memory_order_relaxed); }

long long PeakLiveBytes() { return g_peak_live_bytes.load(std::memory_order_relaxed); }

void ResetPeakLiveBytes() { g_peak_live_bytes.store(LiveBytes(), std::memory_order_relaxed); }

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) {
    Held(p);
    return p;
  }
  throw std::bad_alloc();
}

void* operator new[](std::size_t size) { return operator new(size); }

void operator delete(void* p) noexcept { Release(p); }

void operator delete[](void* p) noexcept { Release(p); }

void operator delete(void* p, std::size_t) noexcept { Release(p); }

void operator delete[](void* p, std::size_t) noexcept { Release(p); }

// The nothrow forms too (std::stable_sort's temporary buffer uses them): left to the library,
// they would allocate with its operator new and be freed by the Release above, a mismatch that
// AddressSanitizer reports.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }

void operator delete(void* p, const std::nothrow_t&) noexcept { Release(p); }

void operator delete[](void* p, const std::nothrow_t&) noexcept { Release(p); }
