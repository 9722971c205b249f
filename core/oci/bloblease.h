#pragma once

#include "common/result.h"

#include <QCoreApplication>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace Berth {

// A pull's claim on the blobs it is about to tag: STORE/berth-leases/<random>, listing their
// digests, with an flock held as long as the lease lives (the kernel drops it when the process
// dies, SIGKILL included). Garbage collection keeps every blob a live lease names, so a prune or
// rmi elsewhere cannot take what a pull has fetched, or found already there, before its tag is
// written. Destroying the lease removes its file.
class OciBlobLease final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    ~OciBlobLease();
    Q_DISABLE_COPY_MOVE(OciBlobLease)

    // Call holding the store lock, so that no collection reads the leases halfway through.
    static Result<std::unique_ptr<OciBlobLease>> create(const QString &storePath,
                                                        const QStringList &digests);

private:
    OciBlobLease() = default;
    QString m_path;
    int m_fd = -1;
};

// The digests every live lease of the store names. Leases whose process is gone are removed (and
// listed in `removed` when given). Call holding the store lock.
QSet<QString> leasedBlobs(const QString &storePath, QStringList *removed = nullptr);

} // namespace Berth
