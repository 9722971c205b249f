#pragma once

// A scratch embedded store for the archive targets: made once per process (in /dev/shm when there
// is one, so the store's fsyncs cost nothing), emptied after a run that stored something.

#include "fuzzsupport.h"

#include "archive/tarreader.h"
#include "oci/ocilayout.h"

#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstring>

namespace BerthFuzz {

class ScratchStore final
{
public:
    ScratchStore()
        : m_dir(QDir(QStringLiteral("/dev/shm")).exists()
                    ? QStringLiteral("/dev/shm/berth-fuzz-XXXXXX")
                    : QDir::tempPath() + QStringLiteral("/berth-fuzz-XXXXXX"))
        , m_store(m_dir.path() + QStringLiteral("/store"))
    {
        if (!m_dir.isValid() || !m_store.init())
            broken("cannot create the scratch store");
    }

    const Berth::OciStore &store() const { return m_store; }

    // Every file under blobs/ (temp files included): what a run left behind.
    int blobFiles() const
    {
        int count = 0;
        QDirIterator it(m_store.path() + QStringLiteral("/blobs"),
                        QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++count;
        }
        return count;
    }

    // A failed run must leave the store as it was (empty); a successful one is undone here.
    void afterRun(bool succeeded)
    {
        if (blobFiles() == 0)
            return;
        if (!succeeded)
            broken("a failed run left files in the store");
        QDir(m_store.path()).removeRecursively();
        if (!m_store.init())
            broken("cannot recreate the scratch store");
    }

private:
    QTemporaryDir m_dir;
    Berth::OciStore m_store;
};

// The fuzz bytes as a TarReader source, handed out in uneven pieces as a pipe would.
inline Berth::TarReader::ReadFunction readerOver(const QByteArray &input)
{
    return [input, offset = qsizetype(0)](char *out, qint64 maxSize) mutable -> qint64 {
        const qint64 n = std::min<qint64>({maxSize, input.size() - offset, 4096 + offset % 7});
        std::memcpy(out, input.constData() + offset, size_t(n));
        offset += n;
        return n;
    };
}

} // namespace BerthFuzz
