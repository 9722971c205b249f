#pragma once

namespace Berth {

// Transfers move data in chunks of 256 KiB to 1 MiB. glibc mmaps each allocation that large and
// unmaps it when freed (and trims the heap), so every chunk costs fresh pages: in a profile of a
// 200 MB pull the page faults cost as much as the copies. Executables call this once at start to
// keep such chunks in the heap; memory stays bounded by the transfer queues.
void tuneAllocatorForTransfers();

} // namespace Berth
