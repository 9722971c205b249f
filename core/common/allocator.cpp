#include "common/allocator.h"

#include <malloc.h>

namespace Berth {

void tuneAllocatorForTransfers()
{
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}

} // namespace Berth
