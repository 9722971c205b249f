#include "blobsink.h"

#include <QFileDevice>
#include <QIODevice>

namespace Berth {

DeviceBlobSink::DeviceBlobSink(QIODevice *device)
    : m_device(device)
    , m_start(device->isSequential() ? 0 : device->pos())
{}

Status DeviceBlobSink::write(QByteArrayView data)
{
    const char *p = data.data();
    qint64 left = data.size();
    while (left > 0) {
        const qint64 n = m_device->write(p, left);
        if (n <= 0)
            return fail(Error::Kind::Io,
                        tr("Could not write the download: %1").arg(m_device->errorString()));
        p += n;
        left -= n;
    }
    return {};
}

Status DeviceBlobSink::restart()
{
    if (m_device->isSequential())
        return fail(Error::Kind::Io,
                    tr("The server restarted the download and the output cannot be rewound."));
    if (!m_device->seek(m_start))
        return fail(Error::Kind::Io,
                    tr("Could not rewind the download: %1").arg(m_device->errorString()));
    if (auto *file = qobject_cast<QFileDevice *>(m_device); file && !file->resize(m_start))
        return fail(Error::Kind::Io,
                    tr("Could not truncate the download: %1").arg(file->errorString()));
    return {};
}

Status MemoryBlobSink::write(QByteArrayView data)
{
    if (m_data.size() + data.size() > m_maxSize)
        return fail(Error::Kind::Protocol,
                    tr("The blob is larger than the %1 bytes allowed for it.").arg(m_maxSize));
    m_data.append(data);
    return {};
}

} // namespace Berth
