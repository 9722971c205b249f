#include "jobadvice.h"

#include "transferjob.h"

namespace Berth {

namespace {

ErrorContext::Operation operationOf(TransferJob::Kind kind)
{
    switch (kind) {
    case TransferJob::Kind::Pull:
        return ErrorContext::Operation::Pull;
    case TransferJob::Kind::Push:
        return ErrorContext::Operation::Push;
    case TransferJob::Kind::Save:
        return ErrorContext::Operation::Save;
    case TransferJob::Kind::Load:
        return ErrorContext::Operation::Load;
    case TransferJob::Kind::Export:
        return ErrorContext::Operation::Export;
    case TransferJob::Kind::Import:
        return ErrorContext::Operation::Import;
    case TransferJob::Kind::LookInside:
        return ErrorContext::Operation::Browse;
    case TransferJob::Kind::SaveFiles:
        return ErrorContext::Operation::Save;
    case TransferJob::Kind::Copy:
        return ErrorContext::Operation::Copy;
    case TransferJob::Kind::Delete:
        return ErrorContext::Operation::Delete;
    }
    return ErrorContext::Operation::Other;
}

} // namespace

ErrorContext errorContextOf(const TransferJob *job)
{
    ErrorContext context;
    if (!job)
        return context;
    const TransferJob::Subject subject = job->subject();
    context.operation = operationOf(job->kind());
    context.image = subject.image;
    context.registry = subject.registry;
    context.file = subject.file;
    return context;
}

ErrorAdvice adviceFor(const TransferJob *job)
{
    return job ? ErrorAdvice::explain(job->error(), errorContextOf(job)) : ErrorAdvice();
}

} // namespace Berth
