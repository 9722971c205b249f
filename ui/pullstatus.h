#pragma once

#include "common/result.h"
#include "reference/imagereference.h"

#include <QCoreApplication>

class QStatusBar;

namespace Berth {

class TransferJob;

// Keeps the status bar honest about a pull: "Pulling node:20…" while it runs (again after a
// retry), then what came of it in a sentence (pulled, cancelled, or why it failed and what to
// do), never the engine's raw words.
class PullStatus
{
    Q_DECLARE_TR_FUNCTIONS(PullStatus)

public:
    static void follow(TransferJob *job, const ImageReference &reference, QStatusBar *bar);
    // What the status bar says once the job is over.
    static QString outcome(const TransferJob &job, const ImageReference &reference);
    // Why a pull of `reference` failed, and what to do about it.
    static QString failure(const Error &error, const ImageReference &reference);

    static constexpr int DoneTimeoutMs = 10000;
    static constexpr int FailedTimeoutMs = 30000;
};

} // namespace Berth
