#include "blobstream.h"

#include "blobpipe.h"

#include "registry/registryclient.h"

#include <QMetaObject>
#include <QPointer>

#include <mutex>
#include <optional>

namespace Berth {

namespace {

// One blob on its way: the upload asks for its body once per attempt, and each attempt gets a
// fresh pipe and a fresh download. Lives as long as a callback of the upload or of a download
// holds it.
class BlobStream final : public std::enable_shared_from_this<BlobStream>
{
public:
    BlobStream(RegistryClient &client,
               const ImageReference &source,
               const ImageReference &destination,
               const Descriptor &blob,
               BlobStreamOptions options,
               std::function<void(Status)> done)
        : m_client(&client)
        , m_source(source)
        , m_destination(destination)
        , m_blob(blob)
        , m_options(std::move(options))
        , m_done(std::move(done))
        , m_idle(client.transport().options().transferTimeoutMs)
    {}

    void start();

private:
    std::unique_ptr<QIODevice> openAttempt();
    void startDownload(int attempt, std::shared_ptr<BlobPipe> pipe);
    void downloaded(int attempt, const std::shared_ptr<BlobPipe> &pipe, Result<qint64> result);
    void uploaded(Status status);
    std::shared_ptr<BlobPipe> currentPipe() const;

    QPointer<RegistryClient> m_client;
    ImageReference m_source;
    ImageReference m_destination;
    Descriptor m_blob;
    BlobStreamOptions m_options;
    std::function<void(Status)> m_done;
    std::chrono::milliseconds m_idle;
    // The pipe of the attempt under way; the cancel handler may run on another thread.
    mutable std::mutex m_mutex;
    std::shared_ptr<BlobPipe> m_pipe;
    int m_attempt = 0;
    std::optional<Error> m_downloadError;
};

void BlobStream::start()
{
    std::weak_ptr<BlobStream> weak = weak_from_this();
    m_options.cancel.onCancel([weak] {
        if (auto self = weak.lock(); self) {
            if (auto pipe = self->currentPipe())
                pipe->fail(tr("Cancelled."));
        }
    });
    BlobUploadOptions upload;
    upload.cancel = m_options.cancel;
    auto self = shared_from_this();
    m_client->uploadBlob(
        m_destination,
        m_blob.digest,
        m_blob.size,
        [self] { return self->openAttempt(); },
        upload,
        [self](Status status) { self->uploaded(std::move(status)); });
}

std::shared_ptr<BlobPipe> BlobStream::currentPipe() const
{
    std::lock_guard lock(m_mutex);
    return m_pipe;
}

// On the client's thread, from the transport, right before the upload's transfer starts.
std::unique_ptr<QIODevice> BlobStream::openAttempt()
{
    auto pipe = std::make_shared<BlobPipe>(m_options.bufferSize, m_idle);
    std::shared_ptr<BlobPipe> previous;
    {
        std::lock_guard lock(m_mutex);
        previous = std::exchange(m_pipe, pipe);
    }
    if (previous)
        previous->fail(tr("The upload of %1 started again.").arg(m_blob.digest.toString()));
    if (m_options.cancel.isCancelled())
        pipe->fail(tr("Cancelled."));
    const int attempt = ++m_attempt;
    m_downloadError.reset();
    // After the upload's transfer is queued: the transport is inside its dispatch now, and the
    // upload must reach a transfer thread no later than the download that feeds it.
    QMetaObject::invokeMethod(
        m_client.data(),
        [self = shared_from_this(), attempt, pipe] { self->startDownload(attempt, pipe); },
        Qt::QueuedConnection);
    return std::make_unique<PipeReadDevice>(pipe);
}

void BlobStream::startDownload(int attempt, std::shared_ptr<BlobPipe> pipe)
{
    if (attempt != m_attempt || !m_client)
        return;
    BlobDownloadOptions options;
    options.expectedSize = m_blob.size;
    options.maxResumes = m_options.maxResumes;
    options.cancel = m_options.cancel;
    if (m_options.progress) {
        std::weak_ptr<BlobStream> weak = weak_from_this();
        options.progress = [weak, attempt](qint64 done, qint64 total) {
            auto self = weak.lock();
            if (self && attempt == self->m_attempt)
                self->m_options.progress(done, total);
        };
    }
    auto sink = std::make_shared<PipeBlobSink>(pipe);
    m_client->downloadBlob(m_source,
                           m_blob.digest,
                           sink.get(),
                           std::move(options),
                           [self = shared_from_this(), attempt, pipe, sink](Result<qint64> r) {
                               self->downloaded(attempt, pipe, std::move(r));
                           });
}

void BlobStream::downloaded(int attempt,
                            const std::shared_ptr<BlobPipe> &pipe,
                            Result<qint64> result)
{
    if (!result) {
        if (attempt == m_attempt)
            m_downloadError = result.error();
        return pipe->fail(result.error().message);
    }
    pipe->finish();
}

void BlobStream::uploaded(Status status)
{
    if (auto pipe = currentPipe(); pipe && !status)
        pipe->fail(status.error().message); // a download still writing stops
    if (!status && m_options.cancel.isCancelled())
        return m_done(fail(Error::Kind::Cancelled, tr("Cancelled.")));
    if (!status && m_downloadError)
        return m_done(fail(*m_downloadError));
    m_done(std::move(status));
}

} // namespace

void streamBlob(RegistryClient &client,
                const ImageReference &source,
                const ImageReference &destination,
                const Descriptor &blob,
                BlobStreamOptions options,
                std::function<void(Status)> done)
{
    std::make_shared<BlobStream>(
        client, source, destination, blob, std::move(options), std::move(done))
        ->start();
}

} // namespace Berth
