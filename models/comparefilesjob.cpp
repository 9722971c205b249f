#include "transfermanager.h"

namespace Berth {

TransferJob *TransferManager::compareFiles(const QString &title,
                                           const TransferJob::Subject &subject,
                                           TransferJob::FreeStarter starter)
{
    m_nextSubject = subject;
    return addFree(TransferJob::Kind::LookInside, title, std::move(starter), nullptr);
}

} // namespace Berth
