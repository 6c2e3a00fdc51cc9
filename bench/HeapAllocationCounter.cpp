// SPDX-License-Identifier: GPL-3.0-or-later
// Replaces the global allocation functions of the benchmark binary (only
// there) to count allocations per thread; memory comes from malloc as before.
#include "HeapAllocationCounter.h"

#include <cstdlib>
#include <new>

namespace
{
  thread_local uint64_t t_allocations = 0;

  void* Allocate(std::size_t size)
  {
    t_allocations++;
    if (void* memory = std::malloc(size == 0 ? 1 : size))
    {
      return memory;
    }
    throw std::bad_alloc();
  }

  void* AllocateAligned(std::size_t size, std::align_val_t alignment)
  {
    t_allocations++;
    const std::size_t align = static_cast<std::size_t>(alignment);
    const std::size_t rounded = ((size == 0 ? 1 : size) + align - 1) / align * align;
    if (void* memory = std::aligned_alloc(align, rounded))
    {
      return memory;
    }
    throw std::bad_alloc();
  }
}

namespace studyshare::bench
{
  uint64_t HeapAllocationsOnThisThread()
  {
    return t_allocations;
  }
}

void* operator new(std::size_t size)
{
  return Allocate(size);
}

void* operator new[](std::size_t size)
{
  return Allocate(size);
}

void* operator new(std::size_t size, std::align_val_t alignment)
{
  return AllocateAligned(size, alignment);
}

void* operator new[](std::size_t size, std::align_val_t alignment)
{
  return AllocateAligned(size, alignment);
}

void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
  try
  {
    return Allocate(size);
  }
  catch (...)
  {
    return nullptr;
  }
}

void* operator new[](std::size_t size, const std::nothrow_t&) noexcept
{
  try
  {
    return Allocate(size);
  }
  catch (...)
  {
    return nullptr;
  }
}

void operator delete(void* memory) noexcept
{
  std::free(memory);
}

void operator delete[](void* memory) noexcept
{
  std::free(memory);
}

void operator delete(void* memory, std::size_t) noexcept
{
  std::free(memory);
}

void operator delete[](void* memory, std::size_t) noexcept
{
  std::free(memory);
}

void operator delete(void* memory, std::align_val_t) noexcept
{
  std::free(memory);
}

void operator delete[](void* memory, std::align_val_t) noexcept
{
  std::free(memory);
}

void operator delete(void* memory, std::size_t, std::align_val_t) noexcept
{
  std::free(memory);
}

void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept
{
  std::free(memory);
}
