#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>

class QIODevice;

namespace Berth {

// Where a blob download writes. The registry client hashes and verifies; the sink only stores, so
// a store can write to a temp file and rename it only once the client says the digest matched.
// A sink is written on the transfer thread that receives the blob (one call after another, never
// concurrently), so it may block on a disk; it must not be touched elsewhere until the download
// reports its end.
class BlobSink
{
public:
    virtual ~BlobSink() = default;
    virtual Status write(QByteArrayView data) = 0;
    // The server ignored a Range request and is sending the blob from its first byte again:
    // forget everything written so far.
    virtual Status restart() = 0;
};

// Writes into a QIODevice the caller opened (a file, a QBuffer). restart() seeks back to where the
// device was when the sink was made and truncates when the device is a file.
class DeviceBlobSink final : public BlobSink
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    explicit DeviceBlobSink(QIODevice *device);
    Status write(QByteArrayView data) override;
    Status restart() override;

private:
    QIODevice *m_device;
    qint64 m_start;
};

// Collects a small blob in memory, refusing to grow past a bound.
class MemoryBlobSink final : public BlobSink
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    explicit MemoryBlobSink(qint64 maxSize)
        : m_maxSize(maxSize)
    {}
    Status write(QByteArrayView data) override;
    Status restart() override
    {
        m_data.clear();
        return {};
    }
    QByteArray data() const { return m_data; }

private:
    QByteArray m_data;
    qint64 m_maxSize;
};

} // namespace Berth
