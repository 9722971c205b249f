#pragma once

#include "common/result.h"
#include "oci/blobsink.h"

#include <QByteArray>
#include <QIODevice>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace Berth {

// A bounded byte pipe from a blob download (the writer, on one libcurl transfer thread) to the
// upload of the same blob (the reader, on another), so that a copy between registries holds at
// most `capacity` bytes of a blob whatever its size. Each side blocks while the other has to
// catch up; a side that waits longer than `idle` for the other gives up, so a transfer that never
// starts (a transfer thread pool full of waiting halves) fails instead of hanging.
//
// The last byte the writer gave is held back until finish(): the download says its digest matched
// only once every byte went through, and the upload must not complete (the registry would commit
// the blob) before that. fail() from either side wakes both; every later call fails with its
// message.
class BlobPipe final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    BlobPipe(qint64 capacity, std::chrono::milliseconds idle);

    // Writer: blocks while the pipe is full.
    Status write(QByteArrayView data);
    // Writer: every byte is written and verified; the reader may take the last one and then sees
    // the end.
    void finish();
    // Either side, or whoever cancels: ends the pipe with this reason.
    void fail(const QString &reason);

    // Reader: blocks until bytes are there; the bytes read, 0 at the end, -1 after a failure.
    qint64 read(char *buffer, qint64 size);
    QString failure() const;

    qint64 peakBuffered() const;

private:
    qint64 readable() const; // with the mutex held
    qint64 take(char *buffer, qint64 size);

    const qint64 m_capacity;
    const std::chrono::milliseconds m_idle;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<QByteArray> m_chunks;
    qsizetype m_frontOffset = 0; // bytes of the first chunk already read
    qint64 m_buffered = 0;
    qint64 m_peak = 0;
    bool m_finished = false;
    bool m_failed = false;
    QString m_failure;
};

// The download's end of a pipe.
class PipeBlobSink final : public BlobSink
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    explicit PipeBlobSink(std::shared_ptr<BlobPipe> pipe)
        : m_pipe(std::move(pipe))
    {}
    Status write(QByteArrayView data) override { return m_pipe->write(data); }
    // The upload already sent what came before: a server that ignores a resume's Range cannot be
    // followed, and the blob fails (a copy run again sends it whole).
    Status restart() override;

private:
    std::shared_ptr<BlobPipe> m_pipe;
};

// The upload's end of a pipe, as the device RegistryClient::uploadBlob reads its body from.
// Sequential and unbuffered: each read goes straight to the pipe, on the upload's transfer thread.
class PipeReadDevice final : public QIODevice
{
public:
    explicit PipeReadDevice(std::shared_ptr<BlobPipe> pipe);
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    std::shared_ptr<BlobPipe> m_pipe;
};

} // namespace Berth
