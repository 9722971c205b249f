#include "tlstrust.h"

#include "clientpair.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QMutexLocker>

namespace Berth {

namespace {

// CA files and key files are a few KiB; anything larger is not one.
constexpr qint64 MaxCertsFileSize = 1024 * 1024;

Error certsFileError(const QString &message)
{
    return Error::make(Error::Kind::Tls, message);
}

Result<QByteArray> readCertsFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(certsFileError(
            Berth::tr("Berth could not read %1: %2.").arg(path, file.errorString())));
    if (file.size() > MaxCertsFileSize)
        return std::unexpected(certsFileError(
            Berth::tr("%1 is larger than a certificate or key file can be.").arg(path)));
    return file.read(MaxCertsFileSize);
}

Status addCertsAuthorities(HostTls &tls, const QString &path)
{
    auto data = readCertsFile(path);
    if (!data)
        return std::unexpected(data.error());
    const QList<QSslCertificate> found = QSslCertificate::fromData(*data, QSsl::Pem);
    if (found.isEmpty())
        return std::unexpected(certsFileError(
            Berth::tr("The CA file %1 holds no certificate in PEM form.").arg(path)));
    for (const QSslCertificate &certificate : found)
        tls.authoritiesPem += certificate.toPem();
    tls.authorities += found;
    tls.files.append(path);
    return {};
}

// containers/image pairs each *.cert with the *.key of the same base name; the first pair (in
// name order) is the one presented.
Status addCertsClientPair(HostTls &tls, const QString &certificatePath, const QString &keyPath)
{
    auto certificate = readCertsFile(certificatePath);
    if (!certificate)
        return std::unexpected(certificate.error());
    auto key = readCertsFile(keyPath);
    if (!key)
        return std::unexpected(key.error());
    auto pair = parseClientPair(certificatePath, *certificate, keyPath, *key);
    if (!pair)
        return std::unexpected(pair.error());
    if (!tls.clientCertificate.isNull())
        return {};
    tls.clientCertificateChain = pair->chain;
    tls.clientCertificate = pair->chain.first();
    tls.clientCertificatePem = pair->chainPem;
    tls.clientKey = pair->key;
    tls.clientKeyPem = pair->keyPem;
    tls.files << certificatePath << keyPath;
    return {};
}

// A dangling link counts: reading it then says what is wrong.
bool certsFilePresent(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() || info.isSymLink();
}

Status readCertsEntry(HostTls &tls, const QDir &dir, const QString &name)
{
    const QString path = dir.filePath(name);
    const QString base = QFileInfo(name).completeBaseName();
    if (name.endsWith(u".crt"))
        return addCertsAuthorities(tls, path);
    if (name.endsWith(u".cert")) {
        const QString key = dir.filePath(base + u".key");
        if (!certsFilePresent(key))
            return std::unexpected(certsFileError(
                Berth::tr("The client certificate %1 has no key: Berth expects it in %2. (A CA "
                          "certificate must end in .crt, not .cert.)")
                    .arg(path, key)));
        return addCertsClientPair(tls, path, key);
    }
    if (name.endsWith(u".key") && !certsFilePresent(dir.filePath(base + u".cert")))
        return std::unexpected(certsFileError(
            Berth::tr("The client key %1 has no certificate: Berth expects it in %2.")
                .arg(path, dir.filePath(base + u".cert"))));
    return {};
}

} // namespace

struct TlsTrust::Cache
{
    QMutex mutex;
    QHash<QString, std::shared_ptr<const HostTls>> hosts;
};

QStringList TlsTrust::defaultRoots()
{
    // containers/image (podman, skopeo, buildah) looks in this order; docker's daemon reads only
    // the last. $HOME rather than the passwd entry, as containers/image and the tests want.
    QString home = qEnvironmentVariable("HOME");
    if (home.isEmpty())
        home = QDir::homePath();
    return {home + u"/.config/containers/certs.d",
            QStringLiteral("/etc/containers/certs.d"),
            QStringLiteral("/etc/docker/certs.d")};
}

HostTls TlsTrust::readFolder(const QString &folder)
{
    HostTls tls;
    tls.folder = folder;
    const QDir dir(folder);
    // Unreadable files and dangling links are listed too: they become the folder's problem rather
    // than go unnoticed.
    const QStringList names = dir.entryList(
        QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    if (!dir.isReadable())
        tls.problem = certsFileError(Berth::tr("Berth could not read the folder %1.").arg(folder));
    for (const QString &name : names) {
        if (Status read = readCertsEntry(tls, dir, name); !read) {
            tls.problem = read.error();
            break;
        }
    }
    return tls;
}

TlsTrust::TlsTrust(QStringList roots)
    : m_roots(std::move(roots))
    , m_cache(std::make_unique<Cache>())
{}

TlsTrust::~TlsTrust() = default;

std::shared_ptr<const HostTls> TlsTrust::forAuthority(const QString &authority) const
{
    QMutexLocker lock(&m_cache->mutex);
    if (const auto it = m_cache->hosts.constFind(authority); it != m_cache->hosts.constEnd())
        return *it;
    auto tls = std::make_shared<HostTls>();
    // A name with a path separator or "..", from a hostile URL, never leaves the roots.
    const bool plain = !authority.isEmpty() && !authority.contains(u'/')
                       && !authority.contains(u'\\') && authority != u".." && authority != u".";
    for (const QString &root : m_roots) {
        const QString folder = root + u'/' + authority;
        if (plain && QFileInfo(folder).isDir()) {
            *tls = readFolder(folder);
            break;
        }
    }
    m_cache->hosts.insert(authority, tls);
    return tls;
}

} // namespace Berth
