#include "registrytags.h"

#include "registrytagdigests.h"

#include <QHash>
#include <QTimer>

#include <memory>
#include <optional>
#include <utility>

namespace Berth {

namespace {

// Manifest HEADs in flight. Each is one round trip of a few hundred bytes, so a listing's time is
// its number of rounds: 300 tags take 5 at 64, 10 at 32, 38 at 8 (and 50 over 6 connections):
// at 50 ms, 0.25 s against 0.5 s. More would gain little and press against the request budgets
// registries enforce (ghcr.io and quay.io count bursts). Over HTTP/2 (TLS registries) they share
// one connection; over HTTP/1.1 the transport opens at most CurlPoolOptions' connections a host.
constexpr int ParallelHeads = 64;
// Digests described at once (a manifest, then a config; an index's platforms too): few next to
// the HEADs, as most repositories have far fewer images than tags.
constexpr int ParallelDescriptions = 8;

// One digest the HEADs answered: its details once fetched, and the tags waiting for them.
struct DigestEntry
{
    Digest digest;
    QList<int> waiting; // tags answered before the details came
    std::optional<DigestDetails> details;
    bool described = false;
};

// One listing under way: HEADs and descriptions interleaved, each digest described as soon as
// its first tag answers, complete tags handed over in batches.
struct Listing : std::enable_shared_from_this<Listing>
{
    Listing(RegistryClient &client, ImageReference repository, TagListing callbacks)
        : client(client)
        , repository(std::move(repository))
        , callbacks(std::move(callbacks))
    {}

    void start(const QStringList &names);
    void pump();
    void startHead(int i);
    void headAnswered(int i, Result<ManifestResponse> m);
    void startDescription(const QString &key);
    void described(const QString &key, Result<DigestDetails> details);
    void ready(int i);
    void flush();
    void finish();
    bool idle() const { return headsInFlight == 0 && describing == 0; }

    RegistryClient &client;
    const ImageReference repository;
    const TagListing callbacks;
    QList<TagInfo> tags;
    int total = 0; // tags to look up
    int nextHead = 0;
    int headsInFlight = 0;
    int headsDone = 0;
    QHash<QString, DigestEntry> digests; // by encoded digest
    QStringList toDescribe;
    int describing = 0;
    std::optional<Error> failure;
    QList<TagInfo> batch;
    bool flushScheduled = false;
    bool pumping = false;
    bool pumpAgain = false;
    bool finished = false;
};

void Listing::start(const QStringList &names)
{
    tags.resize(names.size());
    for (qsizetype i = 0; i < names.size(); ++i)
        tags[i].name = names.at(i);
    // Past the cap, tags are listed by name only, together as "digest unknown".
    total = int(std::min<qsizetype>(names.size(), MaxDigestLookups));
    for (int i = total; i < int(tags.size()); ++i) {
        tags[i].digestNotLookedUp = true;
        ready(i);
    }
    pump();
}

// Starts what the budgets allow; ends the listing when nothing is left in flight. Answers may
// come back within a request call (a refused route): those re-enter here and are picked up by
// the loop rather than by recursion.
void Listing::pump()
{
    if (pumping) {
        pumpAgain = true;
        return;
    }
    pumping = true;
    do {
        pumpAgain = false;
        while (!failure && !toDescribe.isEmpty() && describing < ParallelDescriptions)
            startDescription(toDescribe.takeFirst());
        while (!failure && nextHead < total && headsInFlight < ParallelHeads)
            startHead(nextHead++);
    } while (pumpAgain);
    pumping = false;
    if (idle() && (failure || (nextHead == total && toDescribe.isEmpty())))
        finish();
}

void Listing::startHead(int i)
{
    ++headsInFlight;
    client.headManifest(repository.withTag(tags.at(i).name),
                        [self = shared_from_this(), i](Result<ManifestResponse> m) {
                            self->headAnswered(i, std::move(m));
                        });
}

void Listing::headAnswered(int i, Result<ManifestResponse> m)
{
    --headsInFlight;
    if (!m && !isPerTagProblem(m.error())) {
        failure = failure.value_or(m.error());
        return pump();
    }
    if (callbacks.progress)
        callbacks.progress(++headsDone, total);
    if (!m || !m->digest.isValid()) {
        ready(i); // listed without a digest, on its own
        return pump();
    }
    TagInfo &tag = tags[i];
    tag.digest = m->digest;
    tag.mediaType = m->mediaType;
    const QString key = m->digest.encoded();
    auto found = digests.find(key);
    if (found == digests.end()) {
        found = digests.insert(key, DigestEntry{m->digest, {}, {}, false});
        toDescribe.append(key);
    }
    if (found->described) {
        if (found->details)
            applyDigestDetails(tag, *found->details);
        ready(i);
    } else {
        found->waiting.append(i);
    }
    pump();
}

void Listing::startDescription(const QString &key)
{
    ++describing;
    describeDigest(client,
                   repository,
                   digests.value(key).digest,
                   [self = shared_from_this(), key](Result<DigestDetails> details) {
                       self->described(key, std::move(details));
                   });
}

void Listing::described(const QString &key, Result<DigestDetails> details)
{
    --describing;
    if (!details && !isPerTagProblem(details.error())) {
        failure = failure.value_or(details.error());
        return pump();
    }
    DigestEntry &entry = digests[key];
    entry.described = true;
    // A digest that cannot be described (deleted meanwhile, an artifact) keeps what the HEADs
    // told: its tags still group together.
    if (details)
        entry.details = std::move(*details);
    for (int i : std::as_const(entry.waiting)) {
        if (entry.details)
            applyDigestDetails(tags[i], *entry.details);
        ready(i);
    }
    entry.waiting.clear();
    pump();
}

// Batches the tags that became complete within one pass of the event loop: answers that arrive
// together reach the caller together.
void Listing::ready(int i)
{
    if (!callbacks.partial)
        return;
    batch.append(tags.at(i));
    if (flushScheduled)
        return;
    flushScheduled = true;
    QTimer::singleShot(0, [self = shared_from_this()] { self->flush(); });
}

void Listing::flush()
{
    flushScheduled = false;
    if (finished || failure || batch.isEmpty())
        return;
    const QList<TagInfo> handed = std::exchange(batch, {});
    callbacks.partial(handed);
}

void Listing::finish()
{
    if (finished)
        return;
    if (failure) {
        finished = true;
        return callbacks.done(fail(*failure));
    }
    flush(); // the last batch before the whole list
    finished = true;
    callbacks.done(tags);
}

} // namespace

void listRegistryTags(RegistryClient &client, const ImageReference &repository, TagListing listing)
{
    client.listTags(repository, [&client, repository, listing](Result<QStringList> names) {
        if (!names)
            return listing.done(fail(names.error()));
        const QStringList valid = ImageReference::keepValidTags(*names);
        if (listing.invalidNames && valid.size() < names->size())
            listing.invalidNames(int(names->size() - valid.size()));
        std::make_shared<Listing>(client, repository, listing)->start(valid);
    });
}

void listRegistryTags(RegistryClient &client,
                      const ImageReference &repository,
                      std::function<void(Result<QList<TagInfo>>)> done,
                      std::function<void(int, int)> progress,
                      std::function<void(int)> invalidNames)
{
    listRegistryTags(client,
                     repository,
                     TagListing{std::move(done), std::move(progress), std::move(invalidNames), {}});
}

} // namespace Berth
