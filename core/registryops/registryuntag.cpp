// untag(): removes one tag and leaves the image and its other tags. A registry that deletes tags
// (OCI distribution 1.1) does it in one DELETE; distribution 2.8 answers that DELETE with 400
// DIGEST_INVALID, so the tag is moved to a throw-away manifest that is then deleted by digest.
#include "registrydelete.h"

#include "common/boundedparallel.h"
#include "common/sha256.h"
#include "deletesupport.h"
#include "oci/mediatypes.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "throwawaymanifest.h"

namespace Berth {

namespace {

struct Untag
{
    RegistryClient *client = nullptr;
    ImageReference tagged;
    DeletePlan plan;
    UntagResult result;
    std::function<void(Result<UntagResult>)> done;

    ImageReference repository() const { return plan.repository; }
};
using UntagPtr = std::shared_ptr<Untag>;

void throwAway(UntagPtr u);

// The tags that shared the digest still point at it: else untag took more than the one tag.
void checkSiblings(UntagPtr u)
{
    QStringList siblings = u->plan.tags;
    siblings.removeAll(u->tagged.tag());
    auto remaining = std::make_shared<QStringList>();
    auto lost = std::make_shared<QStringList>();
    forEachBounded<QString>(
        siblings,
        4,
        [u, remaining, lost](const QString &tag, StepDone next) {
            u->client->headManifest(
                u->repository().withTag(tag),
                [u, tag, remaining, lost, next](Result<ManifestResponse> m) {
                    (m && m->digest == u->plan.digest ? remaining : lost)->append(tag);
                    next({});
                });
        },
        [u, siblings, remaining, lost](Status) {
            if (!lost->isEmpty())
                return u->done(fail(Error::Kind::Protocol,
                                    tr("The tag '%1' was removed from %2, but the tags %3 no "
                                       "longer point at %4 either.")
                                        .arg(u->tagged.tag(),
                                             u->repository().repository(),
                                             lost->join(QStringLiteral(", ")),
                                             u->plan.digest.toString())));
            // In the plan's order (most specific first), not the order the answers came in.
            for (const QString &tag : siblings) {
                if (remaining->contains(tag))
                    u->result.remaining.append(tag);
            }
            u->done(u->result);
        });
}

bool refusedForGood(const Error &e)
{
    return e.kind == Error::Kind::Unauthorized || e.kind == Error::Kind::Denied
           || e.kind == Error::Kind::NotFound || e.kind == Error::Kind::Network
           || e.kind == Error::Kind::Server || e.kind == Error::Kind::Tls
           || e.kind == Error::Kind::RateLimited || e.kind == Error::Kind::Cancelled;
}

// A 405 or UNSUPPORTED to a tag DELETE is ambiguous (the spec lets a registry refuse tag deletes
// alone that way): a DELETE of a manifest that cannot exist tells. 404 means deletes by digest
// work; a refusal means deletes are off, and the tag's refusal already says so.
void probeDigestDeletes(UntagPtr u, const Error &tagRefusal)
{
    const auto unknown = *Digest::parse(Sha256::digestOf(untagNonce().toUtf8()));
    u->client->deleteManifest(u->repository().withDigest(unknown), [u, tagRefusal](Status s) {
        if (s || s.error().kind == Error::Kind::NotFound)
            return throwAway(u);
        u->done(fail(tagRefusal));
    });
}

void deleteTag(UntagPtr u)
{
    u->client->deleteManifest(u->tagged, [u](Status s) {
        if (s) {
            u->result.method = UntagMethod::DeleteTag;
            return checkSiblings(u);
        }
        const Error &e = s.error();
        if (refusedForGood(e))
            return u->done(fail(e));
        if (e.httpStatus == 400) // distribution 2.8: deletes are on, tag deletes are not
            return throwAway(u);
        probeDigestDeletes(u, e);
    });
}

// The throw-away manifest could not be deleted: the tag goes back to the image it named, so a
// refused untag changes nothing.
void restoreTag(UntagPtr u, const Digest &throwAway, Error why)
{
    u->client->fetchManifest(
        u->repository().withDigest(u->plan.digest),
        [u, throwAway, why](Result<ManifestResponse> original) {
            const auto stuck = [u, throwAway, why] {
                Error e = why;
                e.message = tr("The tag '%1' of %2 now points at the empty manifest %3, which "
                               "could not be deleted, and could not be pointed back at %4: %5")
                                .arg(u->tagged.tag(),
                                     u->repository().repository(),
                                     throwAway.toString(),
                                     u->plan.digest.toString(),
                                     why.message);
                u->done(fail(std::move(e)));
            };
            if (!original)
                return stuck();
            u->client->putManifest(u->tagged,
                                   original->mediaType,
                                   original->body,
                                   [u, why, stuck](Result<Digest> put) {
                                       if (!put)
                                           return stuck();
                                       u->done(fail(why));
                                   });
        });
}

void deleteThrowAway(UntagPtr u, const Digest &digest)
{
    u->result.method = UntagMethod::ThrowAwayManifest;
    u->result.throwAway = digest;
    u->client->deleteManifest(u->repository().withDigest(digest), [u, digest](Status s) {
        if (s)
            return checkSiblings(u);
        restoreTag(u, digest, s.error());
    });
}

void putThrowAway(UntagPtr u)
{
    const QByteArray body = throwAwayManifest(u->tagged.tag(), untagNonce());
    u->client->putManifest(
        u->tagged, QLatin1String(MediaType::OciManifest), body, [u](Result<Digest> digest) {
            if (!digest)
                return u->done(fail(digest.error()));
            deleteThrowAway(u, *digest);
        });
}

// The throw-away manifest's config is the 2-byte empty blob; a registry must have it first.
void throwAway(UntagPtr u)
{
    const Digest empty = *Digest::parse(QString::fromLatin1(EmptyConfigDigest));
    u->client->headBlob(
        u->repository(),
        empty,
        [u, empty](Result<std::optional<qint64>> size) {
            if (!size)
                return u->done(fail(size.error()));
            if (*size)
                return putThrowAway(u);
            u->client->uploadBlob(
                u->repository(), empty, QByteArray(EmptyConfigContent), [u](Status s) {
                    if (!s)
                        return u->done(fail(s.error()));
                    putThrowAway(u);
                });
        },
        RegistryClient::Scope::Push);
}

void untagOnHub(RegistryClient &client,
                HubClient &hub,
                const DeletePlan &plan,
                const ImageReference &tagged,
                std::function<void(Result<UntagResult>)> done)
{
    hubCredential(client, [&client, &hub, plan, tagged, done](Result<Credential> credential) {
        if (!credential)
            return done(fail(credential.error()));
        const HubRepositoryName name = hubRepositoryName(tagged);
        hub.deleteTag(name.namespaceName,
                      name.name,
                      tagged.tag(),
                      *credential,
                      [&client, &hub, plan, tagged, done](Status s) {
                          if (!s)
                              return done(fail(s.error()));
                          // The Hub's own list, read again, says what is left on the digest.
                          planDelete(
                              client, &hub, tagged.withDigest(plan.digest), [done](auto after) {
                                  UntagResult result;
                                  result.method = UntagMethod::HubTagApi;
                                  // No tag left on the digest is no plan, and no failure of the
                                  // untag.
                                  if (after)
                                      result.remaining = after->tags;
                                  done(result);
                              });
                      });
    });
}

} // namespace

void untag(RegistryClient &client,
           HubClient *hub,
           const ImageReference &tagged,
           std::function<void(Result<UntagResult>)> done)
{
    if (tagged.hasDigest() || tagged.tag().isEmpty())
        return done(fail(Error::Kind::InvalidArgument,
                         tr("%1 names no tag; untag removes a tag, delete removes an image.")
                             .arg(tagged.toString())));
    planDelete(client, hub, tagged, [&client, hub, tagged, done](Result<DeletePlan> plan) {
        if (!plan)
            return done(fail(plan.error()));
        if (hub && tagged.isDockerHub())
            return untagOnHub(client, *hub, *plan, tagged, done);
        auto u = std::make_shared<Untag>();
        u->client = &client;
        u->tagged = tagged;
        u->plan = *plan;
        u->done = done;
        deleteTag(u);
    });
}

} // namespace Berth
