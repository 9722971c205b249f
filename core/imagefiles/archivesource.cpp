// An image inside an archive file on disk: described from one pass over its headers and JSON
// files, its layers streamed from a second pass, both on a worker thread.

#include "archive/tarreader.h"
#include "common/background.h"
#include "imagefiles/archivecatalogue.h"
#include "imagefiles/contentssource.h"
#include "imagefiles/layerstream.h"
#include "imagefiles/sourcecontext.h"

#include <QFileInfo>
#include <QObject>

namespace Berth {

namespace {

// Every error names the archive, so that a message read alone still says which file is bad.
Error namingArchive(Error error, const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (!error.isCancelled() && !error.message.contains(name))
        error.message = Berth::tr("Could not read the archive '%1': %2").arg(path, error.message);
    return error;
}

Result<ArchiveImage> describeArchive(const QString &path, const QString &wanted)
{
    auto reader = TarReader::openFile(path);
    if (!reader)
        return fail(namingArchive(reader.error(), path));
    auto catalogue = readCatalogue(**reader, CancelToken());
    if (!catalogue)
        return fail(namingArchive(catalogue.error(), path));
    auto images = archiveImages(*catalogue);
    if (!images)
        return fail(namingArchive(images.error(), path));
    auto picked = pickArchiveImage(*images, wanted, QFileInfo(path).fileName());
    if (!picked)
        return fail(picked.error());
    picked->image.name = !wanted.isEmpty()          ? wanted
                         : !picked->names.isEmpty() ? picked->names.first()
                                                    : picked->image.configDigest.toString();
    return picked;
}

class ArchiveContentsSource final : public ContentsSource
{
public:
    ArchiveContentsSource(QString path, QString image)
        : m_path(std::move(path))
        , m_image(std::move(image))
        , m_context(makeSourceContext())
    {}

    ~ArchiveContentsSource() override { *m_alive = false; }

    QString displayName() const override
    {
        const QString file = QFileInfo(m_path).fileName();
        return m_image.isEmpty() ? file : m_image + u" in " + file;
    }

    void describe(Callback<ContentsImage> done) override
    {
        runInBackground(
            m_context.get(),
            [path = m_path, image = m_image] { return describeArchive(path, image); },
            [this, alive = m_alive, done = std::move(done)](Result<ArchiveImage> image) {
                if (!*alive)
                    return;
                if (!image)
                    return done(fail(image.error()));
                m_described = *image;
                done(image->image);
            });
    }

    void fetchLayers(const QList<int> &layers,
                     std::function<BlobSink *(int)> sinkFor,
                     FetchOptions options,
                     std::function<void(Status)> done) override
    {
        if (m_described)
            return fetchDescribed(layers, std::move(sinkFor), std::move(options), std::move(done));
        describe([this, layers, sinkFor = std::move(sinkFor), options, done](
                     Result<ContentsImage> image) mutable {
            if (!image)
                return done(fail(image.error()));
            fetchDescribed(layers, std::move(sinkFor), std::move(options), std::move(done));
        });
    }

private:
    void fetchDescribed(const QList<int> &layers,
                        std::function<BlobSink *(int)> sinkFor,
                        FetchOptions options,
                        std::function<void(Status)> done)
    {
        LayerStreamJob job;
        qint64 total = 0;
        for (int position : layers) {
            if (position < 0 || position >= m_described->layerFiles.size())
                return done(
                    fail(Error::Kind::InvalidArgument,
                         Berth::tr("%1 has no layer %2.").arg(displayName()).arg(position)));
            job.wanted[m_described->layerFiles.at(position)] << position;
        }
        for (const auto &[file, positions] : job.wanted.asKeyValueRange())
            total += m_described->image.layers.at(positions.first()).blob.size;
        auto relay = std::make_shared<ProgressRelay>(m_context.get(), options.progress, total);
        job.sinkFor = std::move(sinkFor);
        job.cancel = options.cancel;
        job.progress = [relay](qint64 bytes) {
            relay->report(bytes);
        };
        runInBackground(
            m_context.get(),
            [path = m_path, job = std::move(job)]() -> Status {
                auto reader = TarReader::openFile(path);
                if (!reader)
                    return fail(namingArchive(reader.error(), path));
                Status s = streamLayers(**reader, job);
                if (!s && s.error().code.isEmpty())
                    return fail(namingArchive(s.error(), path));
                return s;
            },
            [relay, done = std::move(done)](Status s) {
                if (s)
                    relay->finish();
                done(s);
            });
    }

    QString m_path;
    QString m_image;
    SourceContext m_context; // the owner's thread: where answers come back
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::optional<ArchiveImage> m_described;
};

} // namespace

std::unique_ptr<ContentsSource> archiveContentsSource(QString path, QString image)
{
    return std::make_unique<ArchiveContentsSource>(std::move(path), std::move(image));
}

} // namespace Berth
