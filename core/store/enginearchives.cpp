// EngineBackend's archive operations through the Engine API: /images/get (save), /images/load,
// /containers/{id}/export, /images/create?fromSrc=- (import). Bodies stream both ways: the
// engine's tar goes straight to the file (compressed on the way when asked), ours is read from
// disk (decompressed on the way: podman's compatible service wants a plain tar) as the engine
// consumes it.
#include "store/enginebackend.h"

#include "archive/archivelayout.h"
#include "archive/archiveoutput.h"
#include "archive/compressedstream.h"
#include "archive/imagechanges.h"
#include "archive/tarreader.h"
#include "archive/urldownload.h"
#include "common/background.h"
#include "common/guarded.h"
#include "common/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryFile>

#include <mutex>

namespace Berth {

// Internal to this file; not in an anonymous namespace because EngineBackend::FilesystemExport (a
// class of the header) holds one.
namespace EngineArchives {

// What a streamed body's callbacks, on the engine client's worker thread, leave for the callback
// that runs when the request is over.
struct StreamedBody
{
    std::mutex mutex;
    std::optional<Error> error;
    qint64 bytes = 0;

    void setError(Error e)
    {
        std::lock_guard lock(mutex);
        if (!error)
            error = std::move(e);
    }
    std::optional<Error> takeError()
    {
        std::lock_guard lock(mutex);
        return error;
    }
};

} // namespace EngineArchives

namespace {

using EngineArchives::StreamedBody;

// A response body streamed to `write` (a compressor, an output file), counting what went through
// for the progress and the result; a failed write stops the transfer and is kept in `state`.
template<typename Write>
std::function<bool(const char *, qint64)>
countingSink(std::shared_ptr<StreamedBody> state, ArchiveProgressFunction progress, Write write)
{
    return [state, progress, write](const char *data, qint64 size) {
        if (Status s = write(data, size); !s) {
            state->setError(s.error());
            return false;
        }
        state->bytes += size;
        if (progress)
            progress({{}, state->bytes, -1});
        return true;
    };
}

Result<std::shared_ptr<TarReader>> openDecompressed(const ArchiveSource &source)
{
    Result<std::unique_ptr<TarReader>> reader
        = !source.path.isEmpty() ? TarReader::openFile(source.path, TarReader::Format::Raw)
          : source.fd >= 0
              ? TarReader::openFd(source.fd, source.displayName(), TarReader::Format::Raw)
              : fail(Error::Kind::InvalidArgument, tr("No archive to read."));
    if (!reader)
        return fail(reader.error());
    // The raw format has a single entry: its data is the decompressed input.
    auto first = (*reader)->next();
    if (!first)
        return fail(first.error());
    if (!*first)
        return fail(Error::Kind::InvalidArgument, tr("'%1' is empty.").arg(source.displayName()));
    return std::shared_ptr<TarReader>(std::move(*reader));
}

// The body source of an upload: the decompressed input, with progress against the file's size.
std::function<qint64(char *, qint64)> bodyFrom(std::shared_ptr<TarReader> reader,
                                               std::shared_ptr<StreamedBody> state,
                                               ArchiveProgressFunction progress,
                                               qint64 total)
{
    return [reader, state, progress, total](char *data, qint64 maxSize) -> qint64 {
        auto n = reader->read(data, maxSize);
        if (!n) {
            state->setError(n.error());
            return -1;
        }
        state->bytes += *n;
        if (progress)
            progress({{}, reader->sourcePosition(), total});
        return *n;
    };
}

// Lines of /images/load and /images/create: progress, "Loaded image: x", or an error in a 200.
struct EngineLines
{
    QStringList messages;
    std::optional<QString> error;

    void handle(const QByteArray &line)
    {
        const QJsonObject obj = QJsonDocument::fromJson(line).object();
        const QString errorText = obj.value(u"errorDetail").toObject().value(u"message").toString();
        if (!errorText.isEmpty() || obj.contains(u"error")) {
            if (!error)
                error = errorText.isEmpty() ? obj.value(u"error").toString() : errorText;
            return;
        }
        for (const char *key : {"stream", "status", "id"}) {
            const QString text = obj.value(QLatin1String(key)).toString().trimmed();
            if (!text.isEmpty())
                messages << text;
        }
    }
};

qint64 sizeOf(const ArchiveSource &source)
{
    return source.path.isEmpty() ? -1 : QFileInfo(source.path).size();
}

} // namespace

void EngineBackend::save(const QStringList &images,
                         ArchiveTarget target,
                         SaveOptions options,
                         Callback<SaveResult> done)
{
    if (images.isEmpty())
        return done(fail(Error::Kind::InvalidArgument, tr("Name at least one image to save.")));
    auto opened = ArchiveOutput::open(target);
    if (!opened)
        return done(fail(opened.error()));
    std::shared_ptr<ArchiveOutput> out(std::move(*opened));
    auto stream = CompressedStream::open(
        options.compression, [out](const char *data, qint64 n) { return out->write(data, n); });
    if (!stream)
        return done(fail(stream.error()));
    std::shared_ptr<CompressedStream> compressor(std::move(*stream));
    auto state = std::make_shared<StreamedBody>();
    auto progress = progressOnThisThread(options.progress);

    EngineRequest request;
    request.path = QStringLiteral("/images/get");
    for (const QString &name : images)
        request.query.addQueryItem(QStringLiteral("names"), name);
    request.cancel = options.cancel;
    request.sink = countingSink(state, progress, [compressor](const char *data, qint64 size) {
        return compressor->write(QByteArrayView(data, size));
    });
    m_client->send(
        std::move(request),
        guarded(this, [this, out, compressor, state, images, done](Result<EngineResponse> r) {
            if (auto e = state->takeError())
                return done(fail(*e));
            if (!r)
                return done(fail(r.error()));
            runInBackground(
                this,
                [out, compressor, state, images]() -> Result<SaveResult> {
                    if (Status s = compressor->finish(); !s)
                        return fail(s.error());
                    if (Status s = out->commit(); !s)
                        return fail(s.error());
                    SaveResult result;
                    result.images = images;
                    result.bytesWritten = state->bytes;
                    return result;
                },
                done);
        }));
}

void EngineBackend::load(ArchiveSource source, LoadOptions options, Callback<LoadResult> done)
{
    if (source.url.isValid())
        return done(fail(Error::Kind::Unsupported,
                         tr("Load reads a file or standard input; download '%1' first.")
                             .arg(source.displayName())));
    auto reader = openDecompressed(source);
    if (!reader)
        return done(fail(reader.error()));
    auto state = std::make_shared<StreamedBody>();
    auto lines = std::make_shared<EngineLines>();
    const QString compression = (*reader)->compression();

    EngineRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/images/load");
    request.query.addQueryItem(QStringLiteral("quiet"), QStringLiteral("1"));
    request.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-tar")));
    // The engine would read a filesystem tar to its end, then fail on a missing ".../json":
    // its first headers tell, and the upload stops there.
    auto body = bodyFrom(*reader, state, progressOnThisThread(options.progress), sizeOf(source));
    auto layout = std::make_shared<TarLayoutScanner>();
    request.bodySource
        = [body, layout, state, name = source.displayName()](char *data, qint64 maxSize) {
              const qint64 n = body(data, maxSize);
              if (n > 0 && layout->feed(QByteArrayView(data, n)) == ArchiveLayout::Filesystem) {
                  state->setError(filesystemArchiveError(name));
                  return qint64(-1);
              }
              return n;
          };
    request.cancel = options.cancel;
    request.onLine = [lines](const QByteArray &line) {
        lines->handle(line);
    };
    m_client->send(std::move(request), [state, lines, compression, done](Result<EngineResponse> r) {
        if (auto e = state->takeError())
            return done(fail(*e));
        if (!r)
            return done(fail(r.error()));
        if (lines->error)
            return done(fail(EngineClient::kindFromMessage(*lines->error),
                             tr("The engine could not load the archive: %1").arg(*lines->error)));
        LoadResult result;
        result.bytesRead = state->bytes;
        result.format = compression == QLatin1String("none")
                            ? QStringLiteral("docker-archive")
                            : QStringLiteral("docker-archive (%1)").arg(compression);
        // Docker: "Loaded image: busybox:latest" / "Loaded image ID: sha256:…" per image;
        // Podman: "Loaded image(s): docker.io/library/busybox:latest,…" or "Loaded image: …".
        static const QRegularExpression loaded(
            QStringLiteral(R"(^Loaded image(?:\(s\))?(?: ID)?:\s*(.+)$)"));
        for (const QString &message : std::as_const(lines->messages)) {
            for (const QString &text : message.split(u'\n', Qt::SkipEmptyParts)) {
                const auto match = loaded.match(text.trimmed());
                if (!match.hasMatch())
                    continue;
                for (const QString &name : match.captured(1).split(u',', Qt::SkipEmptyParts)) {
                    const QString n = name.trimmed();
                    if (n.startsWith(u"sha256:")) {
                        if (auto d = Digest::parse(n); d && !result.untagged.contains(*d))
                            result.untagged << *d;
                    } else {
                        const QString familiar = familiarName(n);
                        if (!familiar.isEmpty() && !result.loadedTags.contains(familiar))
                            result.loadedTags << familiar;
                    }
                }
            }
        }
        done(result);
    });
}

// One export of a container's filesystem, or of an image's through a container made for it
// (what `docker create IMAGE` + `docker export` gives) and removed afterwards.
struct EngineBackend::FilesystemExport
{
    QString containerOrImage;
    ExportOptions options;
    Callback<ExportResult> done;
    std::shared_ptr<ArchiveOutput> out;
    std::shared_ptr<StreamedBody> state = std::make_shared<StreamedBody>();
    ArchiveProgressFunction progress;
    bool madeContainer = false; // for an image: the container is removed before done runs
    QString container;
};

void EngineBackend::exportFilesystem(const QString &containerOrImage,
                                     ArchiveTarget target,
                                     ExportOptions options,
                                     Callback<ExportResult> done)
{
    auto opened = ArchiveOutput::open(target);
    if (!opened)
        return done(fail(opened.error()));
    auto ex = std::make_shared<FilesystemExport>();
    ex->containerOrImage = containerOrImage;
    ex->progress = progressOnThisThread(options.progress);
    ex->options = std::move(options);
    ex->done = std::move(done);
    ex->out = std::shared_ptr<ArchiveOutput>(std::move(*opened));
    // A container by that name? Else an image.
    EngineRequest probe;
    probe.path
        = QStringLiteral("/containers/%1/json").arg(EngineClient::encodeName(containerOrImage));
    m_client->send(std::move(probe), guarded(this, [this, ex](Result<EngineResponse> r) {
                       if (r)
                           return exportContainer(ex, ex->containerOrImage);
                       if (r.error().kind != Error::Kind::NotFound)
                           return ex->done(fail(r.error()));
                       createExportContainer(ex);
                   }));
}

void EngineBackend::createExportContainer(std::shared_ptr<FilesystemExport> ex)
{
    EngineRequest create;
    create.method = "POST";
    create.path = QStringLiteral("/containers/create");
    QJsonObject body{{QStringLiteral("Image"), ex->containerOrImage},
                     // Never started: an image without CMD would be refused otherwise.
                     {QStringLiteral("Cmd"), QJsonArray{QStringLiteral("/berth-export")}},
                     {QStringLiteral("Labels"),
                      QJsonObject{{QStringLiteral("io.berth.export"), QStringLiteral("1")}}}};
    if (ex->options.platform)
        create.query.addQueryItem(QStringLiteral("platform"), ex->options.platform->toString());
    create.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    create.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    m_client->send(
        std::move(create), guarded(this, [this, ex](Result<EngineResponse> created) {
            if (!created) {
                if (created.error().kind == Error::Kind::NotFound)
                    return ex->done(
                        fail(Error::Kind::NotFound,
                             tr("No such container or image: %1").arg(ex->containerOrImage)));
                return ex->done(fail(created.error()));
            }
            ex->madeContainer = true;
            ex->container = QJsonDocument::fromJson(created->body).object().value(u"Id").toString();
            exportContainer(ex, ex->container);
        }));
}

// The container's tar, straight into the output as it comes.
void EngineBackend::exportContainer(std::shared_ptr<FilesystemExport> ex, const QString &container)
{
    EngineRequest request;
    request.path = QStringLiteral("/containers/%1/export").arg(EngineClient::encodeName(container));
    request.cancel = ex->options.cancel;
    request.sink
        = countingSink(ex->state, ex->progress, [out = ex->out](const char *data, qint64 size) {
              return out->write(data, size);
          });
    m_client->send(std::move(request), guarded(this, [this, ex](Result<EngineResponse> r) {
                       // A caller never sees the temporary container: done waits for its removal.
                       if (!ex->madeContainer)
                           return finishExport(ex, std::move(r));
                       removeExportContainer(ex, std::move(r));
                   }));
}

void EngineBackend::removeExportContainer(std::shared_ptr<FilesystemExport> ex,
                                          Result<EngineResponse> exported)
{
    EngineRequest remove;
    remove.method = "DELETE";
    remove.path = QStringLiteral("/containers/%1").arg(EngineClient::encodeName(ex->container));
    remove.query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    m_client->send(std::move(remove), guarded(this, [this, ex, exported](Result<EngineResponse> r) {
                       if (!r)
                           qCWarning(lcStore) << "could not remove export container"
                                              << ex->container << r.error().message;
                       finishExport(ex, exported);
                   }));
}

void EngineBackend::finishExport(std::shared_ptr<FilesystemExport> ex,
                                 Result<EngineResponse> exported)
{
    if (auto e = ex->state->takeError())
        return ex->done(fail(*e));
    if (!exported)
        return ex->done(fail(exported.error()));
    // The size was unknown until now; the last count may have been throttled away: say the
    // whole of it once.
    if (ex->progress)
        ex->progress({{}, ex->state->bytes, ex->state->bytes});
    runInBackground(
        this,
        [out = ex->out, state = ex->state]() -> Result<ExportResult> {
            if (Status s = out->commit(); !s)
                return fail(s.error());
            ExportResult result;
            result.bytesWritten = state->bytes;
            return result;
        },
        ex->done);
}

namespace {

// The answer of /images/create?fromSrc=-: the new image's ID is the last one its lines name.
Result<ImportResult>
importResultOf(const EngineLines &lines, const StreamedBody &state, const ImportOptions &options)
{
    if (lines.error)
        return fail(EngineClient::kindFromMessage(*lines.error),
                    tr("The engine could not import the archive: %1").arg(*lines.error));
    static const QRegularExpression id(QStringLiteral("(sha256:[0-9a-f]{64})"));
    ImportResult result;
    result.reference = options.reference;
    result.layerSize = state.bytes;
    for (auto it = lines.messages.crbegin(); it != lines.messages.crend(); ++it) {
        const auto match = id.match(*it);
        if (match.hasMatch()) {
            result.imageId = *Digest::parse(match.captured(1));
            break;
        }
    }
    if (!result.imageId.isValid())
        return fail(Error::Kind::Protocol,
                    tr("The engine imported the archive but did not say which image it made."));
    return result;
}

} // namespace

void EngineBackend::importFilesystem(ArchiveSource source,
                                     ImportOptions options,
                                     Callback<ImportResult> done)
{
    // The engine would say the same, but only after the whole tar went through it.
    QJsonObject probe;
    if (Status s = applyImageChanges(probe, options.changes); !s)
        return done(fail(s.error()));
    if (source.url.isValid())
        return importFromUrl(std::move(source), std::move(options), std::move(done));
    auto reader = openDecompressed(source);
    if (!reader)
        return done(fail(reader.error()));
    auto state = std::make_shared<StreamedBody>();
    auto lines = std::make_shared<EngineLines>();

    EngineRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/images/create");
    request.query.addQueryItem(QStringLiteral("fromSrc"), QStringLiteral("-"));
    // Podman ignores tag=: the whole reference goes in repo=, which docker accepts too.
    if (options.reference)
        request.query.addQueryItem(QStringLiteral("repo"), options.reference->toString());
    if (!options.message.isEmpty())
        request.query.addQueryItem(QStringLiteral("message"), options.message);
    for (const QString &change : std::as_const(options.changes))
        request.query.addQueryItem(QStringLiteral("changes"), change);
    if (options.platform)
        request.query.addQueryItem(QStringLiteral("platform"), options.platform->toString());
    request.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-tar")));
    request.bodySource
        = bodyFrom(*reader, state, progressOnThisThread(options.progress), sizeOf(source));
    request.cancel = options.cancel;
    request.onLine = [lines](const QByteArray &line) {
        lines->handle(line);
    };
    m_client->send(std::move(request), [state, lines, options, done](Result<EngineResponse> r) {
        if (auto e = state->takeError())
            return done(fail(*e));
        if (!r)
            return done(fail(r.error()));
        done(importResultOf(*lines, *state, options));
    });
}

// Fetched here rather than by the engine (fromSrc=URL): same TLS rules and progress as every
// other transfer, and an engine without network access still imports.
void EngineBackend::importFromUrl(ArchiveSource source,
                                  ImportOptions options,
                                  Callback<ImportResult> done)
{
    auto download = std::make_shared<QTemporaryFile>(QDir::tempPath()
                                                     + QStringLiteral("/berth-import-XXXXXX"));
    auto progress = progressOnThisThread(options.progress);
    runInBackground(
        this,
        [download, source, options, progress]() -> Status {
            if (!download->open())
                return fail(
                    Error::Kind::Io,
                    tr("Cannot write '%1': %2").arg(download->fileName(), download->errorString()));
            return downloadUrlToFile(source.url, download->fileName(), options.cancel, progress);
        },
        [this, download, options, done](Status s) {
            if (!s)
                return done(fail(s.error()));
            importFilesystem(ArchiveSource::file(download->fileName()),
                             options,
                             [download, done](Result<ImportResult> result) {
                                 done(std::move(result)); // the temp file goes now
                             });
        });
}

void EngineBackend::removeContainer(const QString &nameOrId, bool force, Callback<void> done)
{
    EngineRequest request;
    request.method = "DELETE";
    request.path = QStringLiteral("/containers/%1").arg(EngineClient::encodeName(nameOrId));
    request.query.addQueryItem(QStringLiteral("force"),
                               force ? QStringLiteral("true") : QStringLiteral("false"));
    m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        done({});
    });
}

} // namespace Berth
