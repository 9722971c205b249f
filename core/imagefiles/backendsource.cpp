// An image of a backend: described by its inspect (and history), its layers read straight from
// the embedded store's blobs, or from an engine's own `save` stream through a pipe.

#include "common/background.h"
#include "imagefiles/archivecatalogue.h"
#include "imagefiles/contentssource.h"
#include "imagefiles/enginesave.h"
#include "imagefiles/layerstream.h"
#include "imagefiles/sourcecontext.h"
#include "store/embeddedbackend.h"

#include <QFile>
#include <QObject>
#include <QPointer>

#include <algorithm>

namespace Berth {

namespace {

constexpr qint64 ReadBlock = 1 << 20;

// The embedded store's layers, read from its blob files in order, on a worker thread.
Status readStoreBlobs(const OciStore &store,
                      const QList<ContentsLayer> &layers,
                      const QList<int> &positions,
                      const LayerStreamJob &job)
{
    qint64 streamed = 0;
    QByteArray buffer(ReadBlock, Qt::Uninitialized);
    for (int position : positions) {
        QFile file(store.blobPath(layers.at(position).blob.digest));
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error::Kind::Io,
                        Berth::tr("Could not read layer %1 from the image store: %2")
                            .arg(layers.at(position).blob.digest.toString(), file.errorString()));
        BlobSink *sink = job.sinkFor(position);
        for (;;) {
            if (job.cancel.isCancelled())
                return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
            const qint64 n = file.read(buffer.data(), buffer.size());
            if (n < 0)
                return fail(
                    Error::Kind::Io,
                    Berth::tr("Could not read %1: %2").arg(file.fileName(), file.errorString()));
            if (n == 0)
                break;
            if (Status s = sink->write(QByteArrayView(buffer.constData(), n)); !s)
                return s;
            streamed += n;
            job.progress(streamed);
        }
    }
    return {};
}

QList<HistoryEntry> historyOf(const QList<ImageHistoryRow> &rows)
{
    QList<HistoryEntry> history;
    for (auto it = rows.crbegin(); it != rows.crend(); ++it)
        history << HistoryEntry{it->created, it->createdBy, it->comment, {}, it->emptyLayer};
    return history;
}

class BackendContentsSource final : public ContentsSource
{
public:
    BackendContentsSource(ImageBackend &backend, QString nameOrId)
        : m_backend(&backend)
        , m_name(std::move(nameOrId))
        , m_context(makeSourceContext())
    {}

    QString displayName() const override
    {
        if (!m_backend)
            return m_name;
        return Berth::tr("%1 in %2").arg(m_name, backendName());
    }

    void describe(Callback<ContentsImage> done) override
    {
        if (!m_backend)
            return done(gone());
        m_backend->inspectImage(m_name,
                                [this, alive = alive(), done = std::move(done)](
                                    Result<LocalImageDetails> details) mutable {
                                    if (!*alive)
                                        return;
                                    if (!details)
                                        return done(fail(details.error()));
                                    inspected(std::move(*details), std::move(done));
                                });
    }

    void fetchLayers(const QList<int> &layers,
                     std::function<BlobSink *(int)> sinkFor,
                     FetchOptions options,
                     std::function<void(Status)> done) override
    {
        if (m_image)
            return fetchDescribed(layers, std::move(sinkFor), std::move(options), std::move(done));
        describe([this, layers, sinkFor = std::move(sinkFor), options, done](
                     Result<ContentsImage> image) mutable {
            if (!image)
                return done(fail(image.error()));
            fetchDescribed(layers, std::move(sinkFor), std::move(options), std::move(done));
        });
    }

    ~BackendContentsSource() override { *m_alive = false; }

private:
    std::shared_ptr<bool> alive() const { return m_alive; }
    static std::unexpected<Error> gone()
    {
        return fail(Error::Kind::Cancelled, Berth::tr("The image backend is gone."));
    }

    QString backendName() const
    {
        switch (m_backend->kind()) {
        case ImageBackend::Kind::Embedded:
            return Berth::tr("the embedded store");
        case ImageBackend::Kind::Docker:
            return Berth::tr("Docker Engine");
        case ImageBackend::Kind::Podman:
            return Berth::tr("Podman");
        }
        return {};
    }

    void inspected(LocalImageDetails details, Callback<ContentsImage> done)
    {
        ContentsImage image;
        image.name = m_name;
        image.manifestDigest = details.manifestDigest;
        image.configDigest = details.image.id;
        image.config = details.config;
        for (qsizetype i = 0; i < details.config.diffIds.size(); ++i) {
            ContentsLayer layer;
            layer.diffId = Digest::parse(details.config.diffIds.at(i)).value_or(Digest());
            // An engine's save writes each layer uncompressed: its blob is its diff_id.
            layer.blob = i < details.layers.size()
                             ? details.layers.at(i)
                             : Descriptor{QStringLiteral("application/vnd.oci.image.layer.v1.tar"),
                                          layer.diffId,
                                          0,
                                          {},
                                          {},
                                          {}};
            image.layers << layer;
        }
        if (!image.config.history.isEmpty() || !m_backend)
            return finishDescribe(std::move(image), std::move(done));
        // Engines' inspect has no history: the build steps come from `history`.
        m_backend->history(m_name,
                           [this, alive = alive(), image, done = std::move(done)](
                               Result<QList<ImageHistoryRow>> rows) mutable {
                               if (!*alive)
                                   return;
                               if (rows)
                                   image.config.history = historyOf(*rows);
                               finishDescribe(std::move(image), std::move(done));
                           });
    }

    void finishDescribe(ContentsImage image, Callback<ContentsImage> done)
    {
        attachHistory(image);
        m_image = image;
        done(std::move(image));
    }

    void fetchDescribed(const QList<int> &layers,
                        std::function<BlobSink *(int)> sinkFor,
                        FetchOptions options,
                        std::function<void(Status)> done)
    {
        if (!m_backend)
            return done(gone());
        qint64 total = 0;
        for (int position : layers) {
            if (position < 0 || position >= m_image->layers.size())
                return done(
                    fail(Error::Kind::InvalidArgument,
                         Berth::tr("%1 has no layer %2.").arg(displayName()).arg(position)));
            total += m_image->layers.at(position).blob.size;
        }
        auto relay = std::make_shared<ProgressRelay>(m_context.get(), options.progress, total);
        LayerStreamJob job;
        job.sinkFor = std::move(sinkFor);
        job.cancel = options.cancel;
        job.progress = [relay](qint64 bytes) {
            relay->report(bytes);
        };
        auto finished = [relay, done = std::move(done)](Status s) {
            if (s)
                relay->finish();
            done(s);
        };
        if (m_backend->kind() == ImageBackend::Kind::Embedded)
            return fetchFromStore(layers, std::move(job), std::move(finished));
        fetchFromEngine(*m_backend, *m_image, layers, std::move(job), relay, std::move(finished));
    }

    void fetchFromStore(QList<int> layers, LayerStreamJob job, std::function<void(Status)> done)
    {
        std::sort(layers.begin(), layers.end());
        layers.erase(std::unique(layers.begin(), layers.end()), layers.end());
        const OciStore store = static_cast<EmbeddedBackend *>(m_backend.data())->store();
        runInBackground(
            m_context.get(),
            [store, described = m_image->layers, layers, job = std::move(job)] {
                return readStoreBlobs(store, described, layers, job);
            },
            std::move(done));
    }

    QPointer<ImageBackend> m_backend;
    QString m_name;
    SourceContext m_context; // the owner's thread: where answers come back
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::optional<ContentsImage> m_image;
};

} // namespace

std::unique_ptr<ContentsSource> backendContentsSource(ImageBackend &backend, QString nameOrId)
{
    return std::make_unique<BackendContentsSource>(backend, std::move(nameOrId));
}

} // namespace Berth
