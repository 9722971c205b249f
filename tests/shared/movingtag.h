#pragma once

// A tag of one's own to move around in the plain registry of the test services (skopeo, an
// implementation independent of Berth's), for the update-check tests: copy a fixture to a fresh
// repository, then copy another image over the tag, or delete it.

#include "testservices.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QUuid>

#include <utility>

namespace BerthTest {

inline QString plainRegistryHost()
{
    return TestServices::instance().registry(QStringLiteral("plain")).host;
}

// "berth/updates-<what>-<random>": a repository only this run uses, so that moving its tag
// disturbs no other test.
inline QString freshRepository(const QString &what)
{
    return QStringLiteral("berth/updates-") + what + u'-'
           + QUuid::createUuid().toString(QUuid::Id128).left(10);
}

inline bool runSkopeo(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("skopeo"), arguments);
    if (!process.waitForFinished(180000) || process.exitCode() != 0) {
        qWarning("skopeo %s failed: %s",
                 qPrintable(arguments.join(u' ')),
                 process.readAllStandardError().constData());
        return false;
    }
    return true;
}

// Copies within the plain registry (no login), every platform of an index: "berth/busybox:1.0"
// to "berth/updates-…:1.0".
inline bool copyInPlainRegistry(const QString &from, const QString &to)
{
    const QString host = plainRegistryHost();
    return runSkopeo({QStringLiteral("copy"),
                      QStringLiteral("--all"),
                      QStringLiteral("--src-tls-verify=false"),
                      QStringLiteral("--dest-tls-verify=false"),
                      QStringLiteral("--src-no-creds"),
                      QStringLiteral("--dest-no-creds"),
                      QStringLiteral("docker://") + host + u'/' + from,
                      QStringLiteral("docker://") + host + u'/' + to});
}

// Deletes the manifest the tag points at (and so the tag).
inline bool deleteInPlainRegistry(const QString &reference)
{
    return runSkopeo({QStringLiteral("delete"),
                      QStringLiteral("--tls-verify=false"),
                      QStringLiteral("--no-creds"),
                      QStringLiteral("docker://") + plainRegistryHost() + u'/' + reference});
}

inline QString fixtureDigest(const QString &name)
{
    return TestServices::instance().image(name).value(u"digest").toString();
}

// A tag of berth/many and its digest: an image other than busybox for a tag to move to.
inline std::pair<QString, QString> anotherImage()
{
    const QJsonObject many = TestServices::instance().many();
    const QJsonObject groups = many.value(u"groups").toObject();
    const QString digest = groups.keys().first();
    return {many.value(u"repository").toString() + u':'
                + groups.value(digest).toArray().first().toString(),
            digest};
}

} // namespace BerthTest
