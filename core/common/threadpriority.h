#pragma once

namespace Berth {

// How far below the process's own priority the transfer threads run (Linux nice steps).
inline constexpr int TransferThreadNiceness = 10;

// Runs the calling thread `niceness` nice steps below the process's main thread, so that the GUI
// thread gets a core first when both want one: a pull or push keeps every core busy (receive,
// hash, write), and at equal priority the event loop then waits for a core tens of ms at a time.
// The transfer still gets what the GUI thread leaves, which is nearly everything. On Linux a nice
// value belongs to one thread, and without privileges it can only go down: the target is absolute
// (the main thread's value plus `niceness`, at most 19) and a thread already below it stays where
// it is. Idempotent, for pool threads that run one task after another.
void lowerCurrentThreadPriority(int niceness = TransferThreadNiceness);

// Whether transfer threads call lowerCurrentThreadPriority() when they start a transfer. The GUI
// turns it on to keep its event loop responsive; berthctl has no event loop to protect, and under
// load its transfers would only lose cores to other programs, so it leaves them as they are.
void setTransfersYieldToMainThread(bool yield);
bool transfersYieldToMainThread();

// The calling thread's nice value on Linux, 0 elsewhere (for the tests).
int currentThreadNiceness();

} // namespace Berth
