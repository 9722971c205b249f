#pragma once

#include "erroradvice.h"

namespace Berth {

class TransferJob;

// ErrorAdvice for a failed TransferJob: what it is (a pull, a load…) and what it works on (its
// image, registry, file) give the sentence its words. Shared by the Transfers dock and the
// archive dialogs, so a failure reads the same in both.
ErrorContext errorContextOf(const TransferJob *job);
ErrorAdvice adviceFor(const TransferJob *job);

} // namespace Berth
