// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace studyshare::bench
{
  // Heap allocations made by this thread through operator new since it
  // started; the benchmark binary replaces the global operator new to count.
  uint64_t HeapAllocationsOnThisThread();
}
