#pragma once

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace Berth {

// Berth and berthctl hold registry passwords and tokens in memory. A crash must not write them
// to a core file (systemd-coredump keeps every crash's core, readable by the user, for days; a
// plain "core" pattern drops it in the working directory), and other processes of the same user
// must not read them through ptrace or /proc/<pid>/mem. Marking the process not dumpable does
// both, as ssh-agent and gpg-agent do. Call it first thing in main(), before any secret is read.
// Debuggers still work on a process they start; only attaching to a running one is refused.
inline void keepSecretsOutOfCrashDumps()
{
#if defined(__linux__)
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

} // namespace Berth
