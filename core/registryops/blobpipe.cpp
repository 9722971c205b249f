#include "blobpipe.h"

#include <algorithm>
#include <cstring>

namespace Berth {

BlobPipe::BlobPipe(qint64 capacity, std::chrono::milliseconds idle)
    : m_capacity(std::max<qint64>(capacity, 2))
    , m_idle(idle)
{}

Status BlobPipe::write(QByteArrayView data)
{
    while (!data.isEmpty()) {
        std::unique_lock lock(m_mutex);
        const bool moved
            = m_changed.wait_for(lock, m_idle, [&] { return m_failed || m_buffered < m_capacity; });
        if (m_failed)
            return Berth::fail(Error::Kind::Network, m_failure);
        if (!moved) {
            m_failed = true;
            m_failure = tr("The upload took no data for %n second(s).",
                           nullptr,
                           int(std::chrono::ceil<std::chrono::seconds>(m_idle).count()));
            m_changed.notify_all();
            return Berth::fail(Error::Kind::Network, m_failure);
        }
        const qsizetype n = qsizetype(std::min<qint64>(data.size(), m_capacity - m_buffered));
        m_chunks.emplace_back(data.data(), n);
        m_buffered += n;
        m_peak = std::max(m_peak, m_buffered);
        data = data.sliced(n);
        m_changed.notify_all();
    }
    return {};
}

void BlobPipe::finish()
{
    std::lock_guard lock(m_mutex);
    m_finished = true;
    m_changed.notify_all();
}

void BlobPipe::fail(const QString &reason)
{
    std::lock_guard lock(m_mutex);
    if (m_failed)
        return;
    m_failed = true;
    m_failure = reason;
    m_chunks.clear();
    m_buffered = 0;
    m_changed.notify_all();
}

QString BlobPipe::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

qint64 BlobPipe::peakBuffered() const
{
    std::lock_guard lock(m_mutex);
    return m_peak;
}

qint64 BlobPipe::readable() const
{
    return m_finished ? m_buffered : std::max<qint64>(m_buffered - 1, 0);
}

qint64 BlobPipe::read(char *buffer, qint64 size)
{
    std::unique_lock lock(m_mutex);
    const bool moved = m_changed.wait_for(lock, m_idle, [&] {
        return m_failed || readable() > 0 || (m_finished && m_buffered == 0);
    });
    if (m_failed)
        return -1;
    if (!moved) {
        m_failed = true;
        m_failure = tr("The download sent no data for %n second(s).",
                       nullptr,
                       int(std::chrono::ceil<std::chrono::seconds>(m_idle).count()));
        m_chunks.clear();
        m_buffered = 0;
        m_changed.notify_all();
        return -1;
    }
    const qint64 n = take(buffer, std::min(size, readable()));
    m_changed.notify_all();
    return n;
}

// With the mutex held: copies up to size bytes from the front chunks.
qint64 BlobPipe::take(char *buffer, qint64 size)
{
    qint64 copied = 0;
    while (copied < size && !m_chunks.empty()) {
        const QByteArray &front = m_chunks.front();
        const qint64 n = std::min<qint64>(size - copied, front.size() - m_frontOffset);
        std::memcpy(buffer + copied, front.constData() + m_frontOffset, size_t(n));
        copied += n;
        m_frontOffset += qsizetype(n);
        if (m_frontOffset == front.size()) {
            m_chunks.pop_front();
            m_frontOffset = 0;
        }
    }
    m_buffered -= copied;
    return copied;
}

Status PipeBlobSink::restart()
{
    return Berth::fail(Error::Kind::Protocol,
                       tr("The source registry ignored a resume and sent the blob again from "
                          "its first byte, but the destination already received the start of "
                          "it; run the copy again."));
}

PipeReadDevice::PipeReadDevice(std::shared_ptr<BlobPipe> pipe)
    : m_pipe(std::move(pipe))
{
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

qint64 PipeReadDevice::readData(char *data, qint64 maxSize)
{
    const qint64 n = m_pipe->read(data, maxSize);
    if (n < 0)
        setErrorString(m_pipe->failure());
    return n;
}

} // namespace Berth
