#include "threadpriority.h"

#include <QThread>

#include <algorithm>
#include <atomic>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace Berth {

namespace {
std::atomic<bool> g_transfersYield = false;
} // namespace

void setTransfersYieldToMainThread(bool yield)
{
    g_transfersYield = yield;
}

bool transfersYieldToMainThread()
{
    return g_transfersYield;
}

#ifdef Q_OS_LINUX

int currentThreadNiceness()
{
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, gettid()); // -1 is a valid answer: check errno
    return errno == 0 ? nice : 0;
}

void lowerCurrentThreadPriority(int niceness)
{
    errno = 0;
    const int process = getpriority(PRIO_PROCESS, getpid()); // the main thread's
    if (errno != 0)
        return;
    const int wanted = std::min(process + std::max(niceness, 0), 19);
    if (wanted > currentThreadNiceness())
        setpriority(PRIO_PROCESS, gettid(), wanted);
}

#else

int currentThreadNiceness()
{
    return 0;
}

void lowerCurrentThreadPriority(int niceness)
{
    if (niceness > 0 && QThread::currentThread() != nullptr)
        QThread::currentThread()->setPriority(QThread::LowPriority);
}

#endif

} // namespace Berth
