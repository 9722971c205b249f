// pushManifestList(): the sources into the target's repository, then the index under its tag.

#include "manifestlist.h"

#include "registry/registryclient.h"
#include "registryops/registrycopy.h"

namespace Berth {

namespace {

class ManifestPush : public std::enable_shared_from_this<ManifestPush>
{
public:
    using Done = std::function<void(Result<ManifestPushResult>)>;

    ManifestPush(RegistryClient &client, ManifestList list, ManifestPushOptions options, Done done)
        : m_client(client)
        , m_list(std::move(list))
        , m_options(std::move(options))
        , m_done(std::move(done))
    {
        m_result.target = m_list.target;
        m_result.mediaType = m_list.mediaType();
    }

    void copyNext();

private:
    void putIndex();
    void counted(const CopyResult &copy);
    void finish(Result<ManifestPushResult> result)
    {
        Done done = std::move(m_done);
        done(std::move(result));
    }

    RegistryClient &m_client;
    ManifestList m_list;
    ManifestPushOptions m_options;
    Done m_done;
    qsizetype m_next = 0;
    ManifestPushResult m_result;
};

void ManifestPush::copyNext()
{
    if (m_options.cancel.isCancelled())
        return finish(fail(Error::Kind::Cancelled,
                           Berth::tr("Pushing %1 was cancelled.").arg(m_list.target.toString())));
    const QString repository = m_list.target.repository();
    while (m_next < m_list.entries.size()
           && m_list.entries.at(m_next).source.repository() == repository)
        ++m_next;
    if (m_next == m_list.entries.size())
        return putIndex();
    const ManifestListEntry &entry = m_list.entries.at(m_next++);
    CopyOptions copy;
    copy.cancel = m_options.cancel;
    copy.progress = m_options.progress;
    // By digest and without a tag: the image is only there for the index to point at.
    const ImageReference destination
        = m_list.target.withTag(QString()).withDigest(entry.descriptor.digest);
    copyImage(m_client,
              entry.source,
              destination,
              copy,
              [self = shared_from_this(), source = entry.source](Result<CopyResult> r) {
                  if (!r) {
                      Error error = r.error();
                      if (!error.isCancelled())
                          error.message = Berth::tr("Copying %1 into %2 failed: %3")
                                              .arg(source.toString(),
                                                   self->m_list.target.repository(),
                                                   error.message);
                      return self->finish(fail(std::move(error)));
                  }
                  self->counted(*r);
                  self->copyNext();
              });
}

void ManifestPush::counted(const CopyResult &copy)
{
    ++m_result.imagesCopied;
    m_result.blobsCopied += copy.blobsCopied;
    m_result.blobsMounted += copy.blobsMounted;
    m_result.blobsSkipped += copy.blobsSkipped;
}

void ManifestPush::putIndex()
{
    const QByteArray body = m_list.indexJson();
    const Digest expected = m_list.indexDigest();
    m_client.putManifest(m_list.target,
                         m_result.mediaType,
                         body,
                         [self = shared_from_this(), expected](Result<Digest> digest) {
                             if (!digest)
                                 return self->finish(fail(digest.error()));
                             if (*digest != expected)
                                 return self->finish(fail(
                                     Error::Kind::DigestMismatch,
                                     Berth::tr("The registry stored the index of %1 as %2, not as "
                                               "%3: it changed what Berth sent.")
                                         .arg(self->m_list.target.toString(),
                                              digest->toString(),
                                              expected.toString())));
                             self->m_result.digest = *digest;
                             if (self->m_options.progress) {
                                 TransferProgress total;
                                 total.state = TransferProgress::State::Done;
                                 self->m_options.progress(total);
                             }
                             self->finish(self->m_result);
                         });
}

} // namespace

void pushManifestList(RegistryClient &client,
                      const ManifestList &list,
                      ManifestPushOptions options,
                      std::function<void(Result<ManifestPushResult>)> done)
{
    if (list.entries.isEmpty())
        return done(
            fail(Error::Kind::InvalidArgument,
                 Berth::tr("The manifest list %1 lists no image.").arg(list.target.toString())));
    auto push = std::make_shared<ManifestPush>(client, list, std::move(options), std::move(done));
    push->copyNext();
}

} // namespace Berth
