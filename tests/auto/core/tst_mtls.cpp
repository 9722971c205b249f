// A registry that wants a client certificate, its server certificate signed by a private CA
// (berth-services start_mtls_registry), reached through berthctl with a certs.d folder of the
// test's own ($HOME/.config/containers/certs.d under a temporary HOME): refused with the message
// for what is missing, working once ca.crt, client.cert and client.key are there. inspect runs on
// Qt's stack; pull into the embedded store adds libcurl's for the blobs.
#include "berthctlrunner.h"
#include "http/curlexchange.h"
#include "network/networkpolicy.h"
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
    void curlExchange_data();
    void curlExchange();

private:
    qint64 registryLogSize() const;
    // Copies "name=source" files into folder (sources: ca, cert, key; othercert and otherkey, the
    // self-signed TLS registry's pair, which the mTLS registry's CA did not sign).
    bool fill(const QString &folder, const QStringList &files) const;

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

bool tst_Mtls::fill(const QString &folder, const QStringList &files) const
{
    const QJsonObject tls = TestServices::instance().raw().value(u"tls_registry").toObject();
    const QHash<QString, QString> sources{{u"ca"_s, m_registry.ca},
                                          {u"cert"_s, m_registry.clientCertificate},
                                          {u"key"_s, m_registry.clientKey},
                                          {u"othercert"_s, tls.value(u"cert").toString()},
                                          {u"otherkey"_s, tls.value(u"key").toString()}};
    if (!files.isEmpty() && !QDir().mkpath(folder))
        return false;
    for (const QString &file : files) {
        const QString source = sources.value(file.section(u'=', 1));
        if (source.isEmpty() || !copy(source, folder + u'/' + file.section(u'=', 0, 0)))
            return false;
    }
    return true;
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
    for (const QString &verb : {u"inspect"_s, u"pull"_s}) {
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
    QTest::newRow("inspect, client certificate of another CA")
        << u"inspect"_s
        << QStringList{u"ca.crt=ca"_s, u"client.cert=othercert"_s, u"client.key=otherkey"_s}
        << QStringList{u"did not accept the client certificate"_s, u"client.cert"_s} << true;
}

void tst_Mtls::curlExchange_data()
{
    // libcurl's side alone (blobs, URL downloads), with the certs.d root set in the policy.
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("words"); // empty: HTTP 200

    const QString user = u"~/.config/containers/certs.d/"_s + m_registry.name;
    QTest::newRow("no folder") << QStringList{}
                               << QStringList{u"self-signed"_s, user + u"/ca.crt"_s};
    QTest::newRow("CA only") << QStringList{
        u"ca.crt=ca"_s} << QStringList{u"wants a client certificate"_s, user + u"/client.cert"_s};
    QTest::newRow("CA and client pair")
        << QStringList{u"ca.crt=ca"_s, u"client.cert=cert"_s, u"client.key=key"_s} << QStringList{};
    QTest::newRow("client certificate of another CA")
        << QStringList{u"ca.crt=ca"_s, u"client.cert=othercert"_s, u"client.key=otherkey"_s}
        << QStringList{u"did not accept the client certificate"_s};
    QTest::newRow("key of another certificate")
        << QStringList{u"ca.crt=ca"_s, u"client.cert=cert"_s, u"client.key=otherkey"_s}
        << QStringList{u"does not belong"_s};
}

void tst_Mtls::curlExchange()
{
    QFETCH(QStringList, files);
    QFETCH(QStringList, words);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(fill(root.path() + u'/' + m_registry.name, files));
    auto policy = std::make_shared<Berth::NetworkPolicy>(*Berth::currentNetworkPolicy());
    policy->tls = std::make_shared<const Berth::TlsTrust>(QStringList{root.path()});
    Berth::setNetworkPolicy(policy);

    Berth::CurlRequest request;
    request.url = QUrl(u"https://"_s + m_registry.name + u"/v2/"_s);
    request.connectTimeoutMs = 30000;
    request.maxBufferedBody = 4096; // "{}"
    const Berth::CurlOutcome outcome = Berth::performCurl(request, {});
    Berth::setNetworkPolicy(Berth::NetworkPolicy::fromEnvironment());
    if (words.isEmpty()) {
        QVERIFY2(!outcome.abortError,
                 qPrintable(outcome.abortError ? outcome.abortError->message : QString()));
        QCOMPARE(outcome.head.status, 200);
        return;
    }
    QVERIFY2(outcome.abortError, qPrintable(outcome.errorString));
    QCOMPARE(outcome.abortError->kind, Berth::Error::Kind::Tls);
    QVERIFY2(outcome.abortError->message.contains(m_registry.name),
             qPrintable(outcome.abortError->message));
    for (const QString &word : words)
        QVERIFY2(outcome.abortError->message.contains(word),
                 qPrintable(outcome.abortError->message));
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
    QVERIFY(fill(folder, files));

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
