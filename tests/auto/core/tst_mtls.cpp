// A registry that wants a client certificate, its server certificate signed by a private CA
// (berth-services start_mtls_registry), reached through berthctl with a certs.d folder of the
// test's own ($HOME/.config/containers/certs.d under a temporary HOME): refused with the message
// for what is missing, working once ca.crt, client.cert and client.key are there. inspect runs on
// Qt's stack; pull into the embedded store adds libcurl's for the blobs.
#include "berthctlrunner.h"
#include "testservices.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_Mtls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void certsFolder_data();
    void certsFolder();

private:
    qint64 registryLogSize() const;

    TestMtlsRegistry m_registry;
    QString m_digest;
};

namespace {

bool copy(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

} // namespace

void tst_Mtls::initTestCase()
{
    m_registry = TestServices::instance().mtlsRegistry();
    // The services record the name when this machine's host name resolves to loopback, as on
    // every machine the project supports; by its loopback address the registry would be
    // insecure (no verification) and prove nothing.
    QVERIFY2(!m_registry.name.isEmpty(),
             "this machine's host name does not resolve to loopback: no verified name for the "
             "mTLS registry");
    m_digest = TestServices::instance().image(u"busybox"_s).value(u"digest").toString();
    QVERIFY(!m_digest.isEmpty());
}

qint64 tst_Mtls::registryLogSize() const
{
    const QString logs = TestServices::instance().raw().value(u"logs").toString();
    return QFileInfo(logs + u"/registry-mtls.log"_s).size();
}

void tst_Mtls::certsFolder_data()
{
    // files: what the host's certs.d folder holds, each "name=source" (ca, cert, key, or
    // "ca" under a key's name for a key that is no key). words: in the error; empty on success.
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<bool>("reachesRegistry");

    const QString user = u"~/.config/containers/certs.d/"_s + m_registry.name;
    for (const QString verb : {u"inspect"_s, u"pull"_s}) {
        const QByteArray v = verb.toLatin1();
        QTest::addRow("%s, no folder", v.constData())
            << verb << QStringList{} << QStringList{u"self-signed"_s, user + u"/ca.crt"_s} << true;
        QTest::addRow("%s, CA only", v.constData()) << verb << QStringList{u"ca.crt=ca"_s}
                                                    << QStringList{u"wants a client certificate"_s,
                                                                   user + u"/client.cert"_s,
                                                                   user + u"/client.key"_s}
                                                    << true;
        QTest::addRow("%s, CA and client pair", v.constData())
            << verb << QStringList{u"ca.crt=ca"_s, u"client.cert=cert"_s, u"client.key=key"_s}
            << QStringList{} << true;
        QTest::addRow("%s, certificate without its key", v.constData())
            << verb << QStringList{u"ca.crt=ca"_s, u"client.cert=cert"_s}
            << QStringList{u"client.cert has no key"_s} << false;
        QTest::addRow("%s, key that is no key", v.constData())
            << verb << QStringList{u"ca.crt=ca"_s, u"client.cert=cert"_s, u"client.key=ca"_s}
            << QStringList{u"client.key holds no private key"_s} << false;
    }
    QTest::newRow("inspect, key of another certificate")
        << u"inspect"_s << QStringList{u"ca.crt=ca"_s, u"client.cert=ca"_s, u"client.key=key"_s}
        << QStringList{u"does not belong to the client certificate"_s} << false;
}

void tst_Mtls::certsFolder()
{
    QFETCH(QString, verb);
    QFETCH(QStringList, files);
    QFETCH(QStringList, words);
    QFETCH(bool, reachesRegistry);

    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString folder
        = home.path() + u"/.config/containers/certs.d/"_s + m_registry.name; // "vm:PORT"
    const QHash<QString, QString> sources{{u"ca"_s, m_registry.ca},
                                          {u"cert"_s, m_registry.clientCertificate},
                                          {u"key"_s, m_registry.clientKey}};
    if (!files.isEmpty())
        QVERIFY(QDir().mkpath(folder));
    for (const QString &file : files)
        QVERIFY(
            copy(sources.value(file.section(u'=', 1)), folder + u'/' + file.section(u'=', 0, 0)));

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home.path());
    env.insert(u"BERTH_STORE"_s, home.path() + u"/store"_s);
    QStringList arguments{verb, m_registry.name + u"/berth/busybox:1.0"_s};
    if (verb == u"pull")
        arguments << u"--backend"_s << u"embedded"_s;
    arguments << u"--format"_s << u"json"_s;
    const qint64 logBefore = registryLogSize();
    const CtlRun run = runBerthctl(arguments, env);
    if (words.isEmpty()) {
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"digest").toString(), m_digest);
    } else {
        QCOMPARE(run.exitCode, 1);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(m_registry.name), run.err.constData());
        for (const QString &word : words)
            QVERIFY2(err.contains(word), run.err.constData());
        if (!reachesRegistry)
            QVERIFY2(err.contains(folder), run.err.constData());
    }
    // Broken certs.d files: the request never went out (the registry logs every connection,
    // refused handshakes included).
    if (!reachesRegistry)
        QCOMPARE(registryLogSize(), logBefore);
    if (verb == u"pull" && words.isEmpty()) {
        const CtlRun fsck = runBerthctl({u"fsck"_s, u"--backend"_s, u"embedded"_s}, env);
        QVERIFY2(fsck.exitCode == 0, QByteArray(fsck.out + fsck.err).constData());
    }
}

QTEST_GUILESS_MAIN(tst_Mtls)
#include "tst_mtls.moc"
