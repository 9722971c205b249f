// RegistryClient::uploadBlobIfMissing: the existence check and the upload session at once.

#include "registryclient.h"

namespace Berth {

namespace {

// The two answers, whichever comes first.
struct UploadRace
{
    ImageReference target;
    Digest digest;
    qint64 size = 0;
    std::function<std::unique_ptr<QIODevice>()> open;
    BlobUploadOptions options;
    RegistryClient::Callback<bool> done;
    std::optional<Result<std::optional<qint64>>> held;
    std::optional<Result<QUrl>> session;

    bool answered() const { return held && session; }
    // Another size (an empty answer from a registry that says yes to every HEAD) is not this
    // blob: it is uploaded. A failed HEAD is no answer either way: the upload tells.
    bool present() const { return *held && (*held)->has_value() && **(*held) == size; }
};

} // namespace

void RegistryClient::uploadBlobIfMissing(const ImageReference &repository,
                                         const Digest &digest,
                                         qint64 size,
                                         std::function<std::unique_ptr<QIODevice>()> open,
                                         BlobUploadOptions options,
                                         Callback<bool> done)
{
    const auto target = destination(repository);
    if (!target)
        return done(fail(target.error()));
    auto race = std::make_shared<UploadRace>();
    race->target = *target;
    race->digest = digest;
    race->size = size;
    race->open = std::move(open);
    race->options = std::move(options);
    race->done = std::move(done);
    const auto settle = [this, race] {
        if (!race->answered())
            return;
        const Result<QUrl> &session = *race->session;
        if (race->present()) {
            if (session)
                cancelUploadAt(race->target, *session);
            return race->done(false);
        }
        if (!session)
            return race->done(fail(session.error()));
        race->options.session = *session;
        uploadBlobAt(race->target,
                     race->digest,
                     race->size,
                     std::move(race->open),
                     std::move(race->options),
                     [race](Status s) {
                         if (!s)
                             return race->done(fail(s.error()));
                         race->done(true);
                     });
    };
    headBlobAt(
        race->target,
        digest,
        [race, settle](Result<std::optional<qint64>> held) {
            race->held = std::move(held);
            settle();
        },
        Scope::Push);
    openUploadAt(race->target, race->options.cancel, [race, settle](Result<QUrl> session) {
        race->session = std::move(session);
        settle();
    });
}

} // namespace Berth
