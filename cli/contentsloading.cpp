#include "contentsloading.h"

#include "progressprinter.h"

#include "contents/layerindexcache.h"
#include "store/imagebackend.h"

namespace Berth::Cli {

namespace {

QString stepMessage(ContentsProgress::Step step)
{
    switch (step) {
    case ContentsProgress::Step::Describing:
        return tr("Reading the manifest");
    case ContentsProgress::Step::Indexing:
        return tr("Indexing layers");
    case ContentsProgress::Step::Merging:
        return tr("Merging layers");
    }
    return {};
}

TransferProgress toTransfer(const ContentsProgress &p, const QString &item)
{
    TransferProgress t;
    t.item = item;
    t.state = p.step == ContentsProgress::Step::Indexing ? TransferProgress::State::Transferring
                                                         : TransferProgress::State::Waiting;
    t.current = p.done;
    t.total = p.total > 0 ? p.total : -1;
    t.message = stepMessage(p.step);
    return t;
}

Result<std::shared_ptr<ContentsSource>>
sourceFor(Context &context, const QCommandLineParser &parser, const ImageSpec &spec)
{
    switch (spec.kind) {
    case ImageSpec::Kind::Archive:
        return std::shared_ptr<ContentsSource>(archiveContentsSource(spec.file, spec.image));
    case ImageSpec::Kind::Local: {
        auto backend = context.backend(parser);
        if (!backend)
            return fail(backend.error());
        return std::shared_ptr<ContentsSource>(backendContentsSource(**backend, spec.local));
    }
    case ImageSpec::Kind::Registry:
        break;
    }
    std::optional<Platform> platform;
    if (parser.isSet(QStringLiteral("platform"))) {
        auto parsed = Platform::parse(parser.value(QStringLiteral("platform")));
        if (!parsed)
            return fail(parsed.error());
        platform = *parsed;
    }
    return std::shared_ptr<ContentsSource>(
        registryContentsSource(context.registry(), spec.reference, platform));
}

Result<std::shared_ptr<LoadedContents>>
load(Context &context, std::shared_ptr<ContentsSource> source, const QString &item)
{
    ProgressPrinter printer(context.err());
    LoadContentsOptions options;
    options.progress = [&printer, item](const ContentsProgress &p) {
        printer.update(toTransfer(p, item));
    };
    auto cache = std::make_shared<LayerIndexCache>();
    auto loaded = context.wait<std::shared_ptr<LoadedContents>>(
        [&](auto done) { loadContents(source, cache, options, done); });
    printer.finish();
    return loaded;
}

} // namespace

void addImageOptions(QCommandLineParser &parser)
{
    // Not Context::addBackendOption: here the option changes what IMAGE names, and its
    // environment default does not apply.
    parser.addOption({QStringLiteral("backend"),
                      tr("IMAGE is a local image of this backend (auto, docker, podman or "
                         "embedded) instead of a registry reference."),
                      QStringLiteral("backend")});
    parser.addOption({QStringLiteral("platform"),
                      tr("Platform to look at in a multi-platform image (os/arch[/variant]); "
                         "default: this machine's."),
                      QStringLiteral("platform")});
}

std::optional<OpenedImage>
openImage(Context &context, const QCommandLineParser &parser, const QString &text, int *exitCode)
{
    // Only an explicit --backend makes IMAGE local: $BERTH_BACKEND, which chooses the engine of
    // the other verbs, must not turn a registry reference into a local name.
    const auto spec = parseImageSpec(text, parser.isSet(QStringLiteral("backend")));
    if (!spec) {
        *exitCode = context.usage(spec.error().message);
        return std::nullopt;
    }
    auto source = sourceFor(context, parser, *spec);
    if (!source) {
        *exitCode = source.error().kind == Error::Kind::InvalidArgument
                        ? context.usage(source.error().message)
                        : context.report(source.error());
        return std::nullopt;
    }
    auto loaded = load(context, *source, tr("image"));
    if (!loaded) {
        *exitCode = context.report(loaded.error());
        return std::nullopt;
    }
    return OpenedImage{*source, *loaded};
}

Result<qint64> findPath(const IndexFile &tree, const QByteArray &path, bool followLast)
{
    if (path.isEmpty())
        return qint64(-1);
    return resolvePath(tree, path, followLast);
}

ReadOptions readOptions(ProgressPrinter &printer, const QString &label)
{
    ReadOptions options;
    options.progress = [&printer, label](qint64 done, qint64 total) {
        TransferProgress t;
        t.state = TransferProgress::State::Transferring;
        t.current = done;
        t.total = total > 0 ? total : -1;
        t.message = label;
        printer.update(t);
    };
    return options;
}

QString shownPath(QByteArrayView raw)
{
    return u'/' + displayPath(raw);
}

} // namespace Berth::Cli
