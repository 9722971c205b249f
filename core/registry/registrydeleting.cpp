#include "registryclient.h"

#include "common/logging.h"

namespace Berth {

namespace {

QString describeDeletion(const ImageReference &ref)
{
    return ref.hasDigest() ? tr("manifest %1 of %2").arg(ref.digest().toString(), ref.repository())
                           : tr("tag '%1' of %2").arg(ref.tag(), ref.repository());
}

bool deletesTurnedOff(const Error &e)
{
    return e.httpStatus == 405 || e.code == u"UNSUPPORTED";
}

bool permissionRefused(const Error &e)
{
    return e.kind == Error::Kind::Unauthorized || e.kind == Error::Kind::Denied
           || e.httpStatus == 401 || e.httpStatus == 403;
}

// The registry's refusal in terms of what the user can do about it. Other errors (not found, a
// tag DELETE distribution 2.8 refuses with 400) keep the registry's own reading: untag tells them
// apart by kind, status and code, which are kept.
Error deletionRefused(Error e, const QString &registry, const QString &what, const QString &account)
{
    if (deletesTurnedOff(e)) {
        e.kind = Error::Kind::Unsupported;
        e.message = tr("%1 does not allow deleting images (deletes are turned off in its "
                       "configuration), so %2 was not deleted. Ask its administrator to enable "
                       "deletes (storage.delete.enabled in a distribution registry).")
                        .arg(registry, what);
    } else if (permissionRefused(e)) {
        e.kind = Error::Kind::Denied;
        e.message = account.isEmpty()
                        ? tr("%1 does not let anonymous users delete %2. Log in to %1 with an "
                             "account that may delete images in this repository.")
                              .arg(registry, what)
                        : tr("%1 does not let the account '%2' delete %3. Log in with an account "
                             "that may delete images in this repository.")
                              .arg(registry, account, what);
    } else if (e.kind == Error::Kind::NotFound) {
        e.message
            = tr("%1 was not found on %2, so there was nothing to delete.").arg(what, registry);
    }
    return e;
}

} // namespace

QString deleteScope(const ImageReference &repository)
{
    // distribution's token auth asks for the "delete" action on a DELETE, nothing else.
    return u"repository:" + repository.path() + u":delete";
}

void RegistryClient::deleteManifestAt(const ImageReference &reference, Callback<void> done)
{
    RegistryRequest r;
    r.registry = reference.domain();
    r.verb = "DELETE";
    r.path = u"/v2/" + reference.path() + u"/manifests/" + reference.reference();
    r.scopes = {deleteScope(reference)};
    r.what = describeDeletion(reference);
    qCInfo(lcRegistry) << "DELETE" << reference.toString();
    m_transport->send(std::move(r), [this, reference, done](Result<RegistryResponse> response) {
        if (response)
            return done({});
        const Error error = response.error();
        const QString registry = reference.domain();
        const QString what = describeDeletion(reference);
        CredentialProvider *provider = m_transport->credentialProvider();
        if (!permissionRefused(error) || !provider)
            return done(fail(deletionRefused(error, registry, what, {})));
        // Name the account that was refused: the fix is another login.
        provider->lookup(registry, [=](Result<std::optional<Credential>> c) {
            const QString account = c && *c ? (*c)->username : QString();
            done(fail(deletionRefused(error, registry, what, account)));
        });
    });
}

} // namespace Berth
