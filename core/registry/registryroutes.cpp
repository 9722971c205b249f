// Where each RegistryClient operation goes, as registries.conf says (the network policy's): a
// blocked repository is refused before any request; writes, tag lists and deletions go to the
// rule's location; reads (manifests, blobs) try the pull sources in order, the mirrors first and
// the location last. A mirror is one attempt, not the transport's retries with backoff (the chain
// is the fallback), and one found unreachable is skipped for a while. A repository's blobs come
// from the source that served its last manifest first, as containers/image does.
#include "network/networkpolicy.h"
#include "registryclient.h"

#include <QPointer>

namespace Berth {

namespace {

// A mirror found unreachable is not asked again for this long.
constexpr int MirrorDownMs = 30000;

std::shared_ptr<const RegistriesConf> noConfiguration()
{
    static const auto empty = std::make_shared<const RegistriesConf>();
    return empty;
}

Error blockedError(const ImageReference &reference, const RegistryRule &rule)
{
    return Error::make(
        Error::Kind::Denied,
        tr("The registry %1 is blocked by %2 ([[registry]] prefix \"%3\"): Berth "
           "sends it no request for %4.")
            .arg(reference.domain(), rule.file, rule.prefix, reference.repository()));
}

// The reference at a source: same tag and digest, repository rewritten.
Result<ImageReference> retarget(const ImageReference &reference, const PullSource &source)
{
    if (source.name() == reference.repository())
        return reference;
    auto repository = ImageReference::parseRepository(source.name());
    if (!repository)
        return fail(repository.error());
    ImageReference target
        = reference.tag().isEmpty() ? *repository : repository->withTag(reference.tag());
    return reference.hasDigest() ? target.withDigest(reference.digest()) : target;
}

QString stripPeriod(QString text)
{
    if (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

} // namespace

bool insecureInRegistriesConf(const QString &registry)
{
    const auto policy = currentNetworkPolicy();
    return policy->registries && policy->registries->isInsecure(registry);
}

struct RegistryClient::PullChain
{
    ImageReference reference; // as asked
    QList<PullSource> sources;
    qsizetype next = 0;
    QStringList notes;            // the mirrors passed by, and why
    QStringList quietNotes;       // the mirrors skipped as known to be down: for a failure only
    bool remembersSource = false; // a manifest: its blobs come from the same source
    std::function<Status()> beforeFallback; // a blob: the sink starts over
};

void RegistryClient::setRegistriesConf(std::shared_ptr<const RegistriesConf> conf)
{
    m_registriesConf = std::move(conf);
}

std::shared_ptr<const RegistriesConf> RegistryClient::registriesConf() const
{
    if (m_registriesConf)
        return m_registriesConf;
    const auto policy = currentNetworkPolicy();
    return policy->registries ? policy->registries : noConfiguration();
}

Result<ImageReference> RegistryClient::destination(const ImageReference &reference) const
{
    const auto conf = registriesConf();
    if (const RegistryRule *rule = conf->blockedBy(reference.repository()))
        return fail(blockedError(reference, *rule));
    return retarget(reference, conf->pushDestination(reference.repository()));
}

Status RegistryClient::checkNotBlocked(const ImageReference &reference) const
{
    if (const RegistryRule *rule = registriesConf()->blockedBy(reference.repository()))
        return fail(blockedError(reference, *rule));
    return {};
}

Result<QList<PullSource>> RegistryClient::pullSourcesFor(const ImageReference &reference,
                                                         bool forBlob) const
{
    const auto conf = registriesConf();
    const QString repository = reference.repository();
    if (const RegistryRule *rule = conf->blockedBy(repository))
        return fail(blockedError(reference, *rule));
    QList<PullSource> sources = conf->pullSources(repository, forBlob || reference.hasDigest());
    const QString servedBy = m_servedBy.value(repository);
    if (!forBlob || servedBy.isEmpty())
        return sources;
    // The source of the manifest first, even when it serves tag pulls only.
    const auto isServer = [&](const PullSource &s) {
        return s.registry == servedBy;
    };
    auto it = std::find_if(sources.begin(), sources.end(), isServer);
    if (it != sources.end()) {
        const PullSource first = *it;
        sources.erase(it);
        sources.prepend(first);
        return sources;
    }
    for (const PullSource &s : conf->pullSources(repository, false)) {
        if (isServer(s))
            sources.prepend(s);
    }
    return sources;
}

void RegistryClient::report(const QString &repository, const QString &message)
{
    emit pullSourceReport(repository, message);
}

template<typename T>
void RegistryClient::pullThrough(std::shared_ptr<PullChain> chain,
                                 std::function<void(const ImageReference &, int, Callback<T>)> read,
                                 Callback<T> done)
{
    pullStep<T>(std::move(chain), std::move(read), std::move(done));
}

template<typename T>
void RegistryClient::pullStep(std::shared_ptr<PullChain> chain,
                              std::function<void(const ImageReference &, int, Callback<T>)> read,
                              Callback<T> done)
{
    const PullSource source = chain->sources.at(chain->next);
    const bool last = chain->next == chain->sources.size() - 1;
    auto skip = [&](const QString &note) {
        chain->notes.append(note);
        ++chain->next;
        pullStep<T>(chain, read, done);
    };
    if (source.mirror && !last && m_downMirrors.contains(source.registry)
        && !m_downMirrors.value(source.registry).hasExpired()) {
        // Said when it was found down; said again only if nothing else serves the read.
        chain->quietNotes.append(
            tr("Mirror %1 was not reachable a moment ago; skipped").arg(source.registry));
        ++chain->next;
        return pullStep<T>(chain, read, done);
    }
    const auto target = retarget(chain->reference, source);
    if (!target && !last)
        return skip(tr("Mirror %1: %2").arg(source.registry, stripPeriod(target.error().message)));
    if (!target)
        return done(fail(target.error()));
    if (chain->next > 0 && chain->beforeFallback) {
        if (Status s = chain->beforeFallback(); !s)
            return done(fail(s.error()));
    }
    QPointer<RegistryClient> self(this);
    read(*target,
         source.mirror && !last ? 1 : 0,
         [self, chain, read, done, source, last](Result<T> r) {
             if (!self)
                 return done(std::move(r));
             const QString repository = chain->reference.repository();
             if (r) {
                 if (chain->remembersSource)
                     self->m_servedBy.insert(repository, source.registry);
                 QStringList said = chain->notes;
                 // A manifest says where it came from; a blob only when it fell back.
                 if (source.mirror && chain->remembersSource)
                     said.append(tr("pulled from mirror %1").arg(source.name()));
                 else if (!said.isEmpty())
                     said.append(tr("pulled from %1").arg(source.registry));
                 if (!said.isEmpty()) {
                     said.first()[0] = said.first().at(0).toUpper();
                     self->report(repository, said.join(u"; "));
                 }
                 return done(std::move(r));
             }
             Error error = r.error();
             if (last || error.kind == Error::Kind::Cancelled) {
                 const QStringList notes = chain->quietNotes + chain->notes;
                 if (!notes.isEmpty())
                     error.message += u' ' + tr("Before it: %1.").arg(notes.join(u"; "));
                 return done(fail(std::move(error)));
             }
             if (error.kind == Error::Kind::Network) {
                 self->m_downMirrors.insert(source.registry, QDeadlineTimer(MirrorDownMs));
                 chain->notes.append(tr("Mirror %1 is not reachable (%2)")
                                         .arg(source.registry, stripPeriod(error.message)));
             } else {
                 chain->notes.append(
                     tr("Mirror %1 could not serve %2 (%3)")
                         .arg(source.registry, source.name(), stripPeriod(error.message)));
             }
             ++chain->next;
             self->pullStep<T>(chain, read, done);
         });
}

void RegistryClient::fetchManifest(const ImageReference &reference, Callback<ManifestResponse> done)
{
    auto sources = pullSourcesFor(reference, false);
    if (!sources)
        return done(fail(sources.error()));
    auto chain = std::make_shared<PullChain>();
    chain->reference = reference;
    chain->sources = *sources;
    chain->remembersSource = true;
    pullThrough<ManifestResponse>(
        chain,
        [this](const ImageReference &r, int attempts, Callback<ManifestResponse> d) {
            fetchManifestAt(r, attempts, std::move(d));
        },
        std::move(done));
}

void RegistryClient::headManifest(const ImageReference &reference, Callback<ManifestResponse> done)
{
    auto sources = pullSourcesFor(reference, false);
    if (!sources)
        return done(fail(sources.error()));
    auto chain = std::make_shared<PullChain>();
    chain->reference = reference;
    chain->sources = *sources;
    chain->remembersSource = true;
    pullThrough<ManifestResponse>(
        chain,
        [this](const ImageReference &r, int attempts, Callback<ManifestResponse> d) {
            headManifestAt(r, attempts, std::move(d));
        },
        std::move(done));
}

void RegistryClient::downloadBlob(const ImageReference &repository,
                                  const Digest &digest,
                                  BlobSink *sink,
                                  BlobDownloadOptions options,
                                  Callback<qint64> done)
{
    auto sources = pullSourcesFor(repository, true);
    if (!sources)
        return done(fail(sources.error()));
    auto chain = std::make_shared<PullChain>();
    chain->reference = repository;
    chain->sources = *sources;
    chain->beforeFallback = [sink] {
        return sink->restart();
    };
    pullThrough<qint64>(
        chain,
        [this, digest, sink, options](const ImageReference &r, int attempts, Callback<qint64> d) {
            downloadBlobAt(r, digest, sink, options, attempts, std::move(d));
        },
        std::move(done));
}

void RegistryClient::headBlob(const ImageReference &repository,
                              const Digest &digest,
                              Callback<std::optional<qint64>> done,
                              Scope scope)
{
    const auto target = destination(repository);
    if (!target)
        return done(fail(target.error()));
    headBlobAt(*target, digest, std::move(done), scope);
}

void RegistryClient::putManifest(const ImageReference &reference,
                                 const QString &mediaType,
                                 const QByteArray &body,
                                 Callback<Digest> done)
{
    const auto target = destination(reference);
    if (!target)
        return done(fail(target.error()));
    putManifestAt(*target, mediaType, body, std::move(done));
}

void RegistryClient::deleteManifest(const ImageReference &reference, Callback<void> done)
{
    const auto target = destination(reference);
    if (!target)
        return done(fail(target.error()));
    deleteManifestAt(*target, std::move(done));
}

void RegistryClient::uploadBlob(const ImageReference &repository,
                                const Digest &digest,
                                qint64 size,
                                std::function<std::unique_ptr<QIODevice>()> open,
                                BlobUploadOptions options,
                                Callback<void> done)
{
    const auto target = destination(repository);
    if (!target)
        return done(fail(target.error()));
    uploadBlobAt(*target, digest, size, std::move(open), std::move(options), std::move(done));
}

void RegistryClient::mountBlob(const ImageReference &repository,
                               const Digest &digest,
                               const QString &fromPath,
                               Callback<bool> done)
{
    const auto target = destination(repository);
    if (!target)
        return done(fail(target.error()));
    mountBlobAt(*target, digest, fromPath, std::move(done));
}

void RegistryClient::listTags(const ImageReference &repository, Callback<QStringList> done)
{
    const auto target = destination(repository);
    if (!target)
        return done(fail(target.error()));
    listTagsAt(*target, std::move(done));
}

} // namespace Berth
