#include "registryfaultfixture.h"

#include "asynctest.h"
#include "testhelpers.h"
#include "testservices.h"

#include "oci/blobsink.h"

#include <QBuffer>
#include <QRegularExpression>
#include <QTest>

using namespace Berth;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace BerthTest {

QString blobPath(const QString &repository)
{
    return u"^/v2/"_s + QRegularExpression::escape(repository) + u"/blobs/sha256:"_s;
}

QString manifestPath(const QString &repository)
{
    return u"^/v2/"_s + QRegularExpression::escape(repository) + u"/manifests/"_s;
}

QString uploadPath(const QString &repository)
{
    return u"^/v2/"_s + QRegularExpression::escape(repository) + u"/blobs/uploads/"_s;
}

QString requestLog(const FaultProxy &proxy)
{
    QStringList lines;
    for (const SeenRequest &request : proxy.requests()) {
        lines << QString::fromLatin1(
            request.method + ' ' + request.target + " Range=" + request.header("Range") + " -> "
            + QByteArray::number(request.status) + " rule " + QByteArray::number(request.rule));
    }
    return lines.join(u'\n');
}

RegistryTransportOptions quickRetries(int maxAttempts)
{
    RegistryTransportOptions options;
    options.maxAttempts = maxAttempts;
    options.retryBase = 10ms;
    return options;
}

std::unique_ptr<FaultProxy> startFaultProxy(const QString &flavour, TestCredentials &credentials)
{
    const TestRegistry registry = TestServices::instance().registry(flavour);
    auto proxy = std::make_unique<FaultProxy>(registry.host);
    if (!proxy->listen())
        return nullptr;
    if (!registry.username.isEmpty())
        credentials.set(proxy->host(), Credential{registry.username, registry.password, false});
    return proxy;
}

std::optional<ImageManifest> fetchImageManifest(RegistryClient &client,
                                                const ImageReference &reference)
{
    auto response
        = await<ManifestResponse>([&](auto done) { client.fetchManifest(reference, done); });
    if (!response) {
        QTest::qFail(qPrintable(describe(response.error())), __FILE__, __LINE__);
        return std::nullopt;
    }
    auto manifest = parseImageManifest(response->body, response->mediaType);
    if (!manifest) {
        QTest::qFail(qPrintable(describe(manifest.error())), __FILE__, __LINE__);
        return std::nullopt;
    }
    return *manifest;
}

Result<qint64> downloadBlobInto(RegistryClient &client,
                                const ImageReference &repository,
                                const Digest &digest,
                                QByteArray *content,
                                BlobDownloadOptions options)
{
    QBuffer buffer;
    buffer.open(QIODevice::ReadWrite);
    DeviceBlobSink sink(&buffer);
    auto result = await<qint64>([&](auto done) {
        client.downloadBlob(repository, digest, &sink, std::move(options), done);
    });
    *content = buffer.data();
    return result;
}

} // namespace BerthTest
