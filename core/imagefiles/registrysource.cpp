// An image in a registry: described by inspect (index → platform manifest → configuration), its
// layers downloaded straight into the sinks, a few at once, nothing else asked of the registry.

#include "common/boundedparallel.h"
#include "imagefiles/archivecatalogue.h"
#include "imagefiles/contentssource.h"
#include "registry/imageinspector.h"

#include <QPointer>

namespace Berth {

namespace {

class RegistryContentsSource final : public ContentsSource
{
public:
    RegistryContentsSource(RegistryClient &client,
                           ImageReference reference,
                           std::optional<Platform> platform)
        : m_client(&client)
        , m_reference(std::move(reference))
        , m_platform(std::move(platform))
    {}

    ~RegistryContentsSource() override { *m_alive = false; }

    QString displayName() const override
    {
        return Berth::tr("%1 from %2").arg(m_reference.familiarString(), m_reference.domain());
    }

    void describe(Callback<ContentsImage> done) override
    {
        InspectOptions options;
        options.platform = m_platform;
        inspectImage(
            *m_client,
            m_reference,
            options,
            [this, done = std::move(done)](Result<InspectResult> result) {
                if (!result)
                    return done(fail(result.error()));
                if (result->images.isEmpty())
                    return done(
                        fail(Error::Kind::NotFound,
                             Berth::tr("%1 has no image for this platform.").arg(displayName())));
                m_image = imageOf(result->images.first());
                done(*m_image);
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

private:
    ContentsImage imageOf(const InspectedImage &inspected) const
    {
        ContentsImage image;
        image.name = m_reference.familiarString();
        image.manifestDigest = inspected.manifestDigest;
        image.configDigest = inspected.configDigest;
        image.config = inspected.config;
        for (qsizetype i = 0; i < inspected.manifest.layers.size(); ++i) {
            ContentsLayer layer;
            layer.blob = inspected.manifest.layers.at(i);
            if (i < inspected.config.diffIds.size())
                layer.diffId = Digest::parse(inspected.config.diffIds.at(i)).value_or(Digest());
            image.layers << layer;
        }
        attachHistory(image);
        return image;
    }

    // Bytes per layer position: the sum over all of them is what progress reports.
    struct Fetch
    {
        QList<qint64> done;
        qint64 total = 0;
        FetchOptions options;
        std::function<BlobSink *(int)> sinkFor;

        void report() const
        {
            if (!options.progress)
                return;
            qint64 sum = 0;
            for (qint64 d : done)
                sum += d;
            options.progress(sum, total);
        }
    };

    void fetchDescribed(const QList<int> &layers,
                        std::function<BlobSink *(int)> sinkFor,
                        FetchOptions options,
                        std::function<void(Status)> done)
    {
        auto fetch = std::make_shared<Fetch>();
        for (int position : layers) {
            if (position < 0 || position >= m_image->layers.size())
                return done(
                    fail(Error::Kind::InvalidArgument,
                         Berth::tr("%1 has no layer %2.").arg(displayName()).arg(position)));
            fetch->total += m_image->layers.at(position).blob.size;
        }
        fetch->done.fill(0, layers.size());
        fetch->options = std::move(options);
        fetch->sinkFor = std::move(sinkFor);
        // A failure stops the downloads in flight too, not only the ones still to start.
        CancelToken stop;
        fetch->options.cancel.onCancel([stop] { stop.cancel(); });
        QPointer<RegistryClient> client = m_client;
        const ImageReference repository = m_reference;
        const QList<ContentsLayer> described = m_image->layers;
        runBounded(
            int(layers.size()),
            std::max(1, fetch->options.parallel),
            [=](int i, StepDone finished) {
                if (!client)
                    return finished(fail(Error::Kind::Cancelled, Berth::tr("Cancelled.")));
                const Descriptor &blob = described.at(layers.at(i)).blob;
                BlobDownloadOptions download;
                download.expectedSize = blob.size;
                download.cancel = stop;
                download.progress = [fetch, i](qint64 bytes, qint64) {
                    fetch->done[i] = bytes;
                    fetch->report();
                };
                client->downloadBlob(repository,
                                     blob.digest,
                                     fetch->sinkFor(layers.at(i)),
                                     download,
                                     [fetch, i, stop, finished](Result<qint64> r) {
                                         if (!r) {
                                             stop.cancel();
                                             return finished(fail(r.error()));
                                         }
                                         fetch->done[i] = *r;
                                         fetch->report();
                                         finished({});
                                     });
            },
            [fetch, stop, done = std::move(done)](Status s) { done(s); });
    }

    QPointer<RegistryClient> m_client;
    ImageReference m_reference;
    std::optional<Platform> m_platform;
    std::optional<ContentsImage> m_image;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace

std::unique_ptr<ContentsSource> registryContentsSource(RegistryClient &client,
                                                       ImageReference reference,
                                                       std::optional<Platform> platform)
{
    return std::make_unique<RegistryContentsSource>(
        client, std::move(reference), std::move(platform));
}

} // namespace Berth
