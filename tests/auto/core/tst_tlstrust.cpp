// certs.d (core/network/tlstrust, clientpair): which folder is the host's, what its *.crt, *.cert
// and *.key files become, and every way they can be broken; and the certificate messages
// (core/network/tlsproblem) both HTTP stacks make from their failures. The certificates and keys
// are made by the openssl command line in a temporary folder.
#include "network/tlsproblem.h"
#include "network/tlstrust.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/x509_vfy.h>

using namespace Berth;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::TlsFault)

class tst_TlsTrust : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void folder_data();
    void folder();
    void firstExistingRootWins();
    void cachedPerAuthority();
    void hostileAuthority();
    void curlDiagnosis_data();
    void curlDiagnosis();
    void qtDiagnosis_data();
    void qtDiagnosis();
    void messages_data();
    void messages();
    void authorityOfUrl_data();
    void authorityOfUrl();

private:
    QByteArray material(const QString &name) const;
    QString write(const QString &folder, const QString &name, const QByteArray &data) const;

    QTemporaryDir m_dir;
    QString m_made; // the certificates and keys openssl made
};

namespace {

bool openssl(const QString &workDir, const QStringList &arguments)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.start(u"openssl"_s, arguments);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("openssl %s: %s",
                 qPrintable(arguments.join(u' ')),
                 p.readAllStandardError().constData());
        return false;
    }
    return true;
}

QStringList selfSigned(const QString &key, const QString &certificate, const QString &name)
{
    return {u"req"_s,
            u"-x509"_s,
            u"-key"_s,
            key,
            u"-out"_s,
            certificate,
            u"-subj"_s,
            u"/CN="_s + name,
            u"-days"_s,
            u"30"_s};
}

} // namespace

void tst_TlsTrust::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_made = m_dir.filePath(u"made"_s);
    QVERIFY(QDir().mkpath(m_made));
    QVERIFY(openssl(m_made, {u"genpkey"_s, u"-algorithm"_s, u"RSA"_s, u"-out"_s, u"rsa.key"_s}));
    QVERIFY(openssl(m_made,
                    {u"genpkey"_s,
                     u"-algorithm"_s,
                     u"EC"_s,
                     u"-pkeyopt"_s,
                     u"ec_paramgen_curve:P-256"_s,
                     u"-out"_s,
                     u"ec.key"_s}));
    QVERIFY(openssl(m_made, {u"genpkey"_s, u"-algorithm"_s, u"ED25519"_s, u"-out"_s, u"ed.key"_s}));
    QVERIFY(openssl(m_made, selfSigned(u"rsa.key"_s, u"rsa.pem"_s, u"rsa-ca"_s)));
    QVERIFY(openssl(m_made, selfSigned(u"ec.key"_s, u"ec.pem"_s, u"ec-client"_s)));
    QVERIFY(openssl(m_made, selfSigned(u"ed.key"_s, u"ed.pem"_s, u"ed-client"_s)));
    // The traditional "BEGIN RSA PRIVATE KEY" form, and a key with a pass phrase.
    QVERIFY(openssl(m_made,
                    {u"pkey"_s,
                     u"-in"_s,
                     u"rsa.key"_s,
                     u"-traditional"_s,
                     u"-out"_s,
                     u"rsa-traditional.key"_s}));
    QVERIFY(openssl(m_made,
                    {u"pkey"_s,
                     u"-in"_s,
                     u"ec.key"_s,
                     u"-aes256"_s,
                     u"-passout"_s,
                     u"pass:secret"_s,
                     u"-out"_s,
                     u"ec-encrypted.key"_s}));
}

QByteArray tst_TlsTrust::material(const QString &name) const
{
    QFile file(m_made + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString
tst_TlsTrust::write(const QString &folder, const QString &name, const QByteArray &data) const
{
    QDir().mkpath(folder);
    QFile file(folder + u'/' + name);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName();
}

void tst_TlsTrust::folder_data()
{
    // Each file is "name=material" (a file openssl made, "two-cas" for both certificates in one
    // file, "junk" for text that is no PEM); problem: the file named by the error, if any.
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<int>("authorities");
    QTest::addColumn<bool>("client");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("problemWords");

    QTest::newRow("empty folder") << QStringList{} << 0 << false << u""_s << u""_s;
    QTest::newRow("one CA") << QStringList{u"ca.crt=rsa.pem"_s} << 1 << false << u""_s << u""_s;
    QTest::newRow("two CAs in one file")
        << QStringList{u"ca.crt=two-cas"_s} << 2 << false << u""_s << u""_s;
    QTest::newRow("two CA files") << QStringList{u"a.crt=rsa.pem"_s, u"b.crt=ec.pem"_s} << 2
                                  << false << u""_s << u""_s;
    QTest::newRow("EC client pair") << QStringList{u"client.cert=ec.pem"_s, u"client.key=ec.key"_s}
                                    << 0 << true << u""_s << u""_s;
    QTest::newRow("RSA client pair, traditional key, with a CA")
        << QStringList{u"ca.crt=ec.pem"_s,
                       u"client.cert=rsa.pem"_s,
                       u"client.key=rsa-traditional.key"_s}
        << 1 << true << u""_s << u""_s;
    QTest::newRow("other files ignored")
        << QStringList{u"README=junk"_s, u"ca.pem=junk"_s} << 0 << false << u""_s << u""_s;
    QTest::newRow("CA file without a certificate")
        << QStringList{u"ca.crt=junk"_s} << 0 << false << u"ca.crt"_s << u"no certificate"_s;
    QTest::newRow("CA file holding a key")
        << QStringList{u"ca.crt=rsa.key"_s} << 0 << false << u"ca.crt"_s << u"no certificate"_s;
    QTest::newRow("certificate without its key") << QStringList{u"client.cert=ec.pem"_s} << 0
                                                 << false << u"client.cert"_s << u"has no key"_s;
    QTest::newRow("key without its certificate")
        << QStringList{u"client.key=ec.key"_s} << 0 << false << u"client.key"_s
        << u"has no certificate"_s;
    QTest::newRow("key of another certificate")
        << QStringList{u"client.cert=ec.pem"_s, u"client.key=rsa.key"_s} << 0 << false
        << u"client.key"_s << u"does not belong"_s;
    QTest::newRow("encrypted key")
        << QStringList{u"client.cert=ec.pem"_s, u"client.key=ec-encrypted.key"_s} << 0 << false
        << u"client.key"_s << u"pass phrase"_s;
    QTest::newRow("key file without a key")
        << QStringList{u"client.cert=ec.pem"_s, u"client.key=junk"_s} << 0 << false
        << u"client.key"_s << u"no private key"_s;
    QTest::newRow("certificate file without a certificate")
        << QStringList{u"client.cert=junk"_s, u"client.key=ec.key"_s} << 0 << false
        << u"client.cert"_s << u"no certificate"_s;
    QTest::newRow("unreadable CA file (a dangling link)")
        << QStringList{u"ca.crt=dangling"_s} << 0 << false << u"ca.crt"_s << u"could not read"_s;
    QTest::newRow("unreadable key (a dangling link)")
        << QStringList{u"client.cert=ec.pem"_s, u"client.key=dangling"_s} << 0 << false
        << u"client.key"_s << u"could not read"_s;
    QTest::newRow("Ed25519 key") << QStringList{u"client.cert=ed.pem"_s, u"client.key=ed.key"_s}
                                 << 0 << false << u"client.key"_s
                                 << u"neither an RSA nor an EC key"_s;
}

void tst_TlsTrust::folder()
{
    QFETCH(QStringList, files);
    QFETCH(int, authorities);
    QFETCH(bool, client);
    QFETCH(QString, problem);
    QFETCH(QString, problemWords);

    const QString root = m_dir.filePath(u"roots/"_s + QString::fromLatin1(QTest::currentDataTag()));
    const QString folder = root + u"/registry.example:5000"_s;
    QVERIFY(QDir().mkpath(folder));
    for (const QString &file : files) {
        const QString name = file.section(u'=', 0, 0);
        const QString what = file.section(u'=', 1);
        if (what == u"dangling") {
            QVERIFY(QFile::link(folder + u"/nowhere"_s, folder + u'/' + name));
            continue;
        }
        const QByteArray data = what == u"junk" ? QByteArray("not a PEM file\n")
                                : what == u"two-cas"
                                    ? material(u"rsa.pem"_s) + material(u"ec.pem"_s)
                                    : material(what);
        QVERIFY(!data.isEmpty());
        write(folder, name, data);
    }
    const TlsTrust trust({root});
    const auto tls = trust.forAuthority(u"registry.example:5000"_s);
    QCOMPARE(tls->folder, folder);
    if (problem.isEmpty()) {
        QVERIFY2(!tls->problem, qPrintable(tls->problem ? tls->problem->message : QString()));
    } else {
        QVERIFY(tls->problem);
        QCOMPARE(tls->problem->kind, Error::Kind::Tls);
        QVERIFY2(tls->problem->message.contains(folder + u'/' + problem),
                 qPrintable(tls->problem->message));
        QVERIFY2(tls->problem->message.contains(problemWords), qPrintable(tls->problem->message));
        return;
    }
    QCOMPARE(tls->authorities.size(), authorities);
    QCOMPARE(QSslCertificate::fromData(tls->authoritiesPem).size(), authorities);
    QCOMPARE(!tls->clientCertificate.isNull(), client);
    if (client) {
        QVERIFY(!tls->clientKey.isNull());
        QCOMPARE(tls->clientKey.type(), QSsl::PrivateKey);
        QCOMPARE(tls->clientCertificateChain.first(), tls->clientCertificate);
        QVERIFY(tls->clientKeyPem.startsWith("-----BEGIN PRIVATE KEY-----"));
        QCOMPARE(QSslCertificate::fromData(tls->clientCertificatePem).first(),
                 tls->clientCertificate);
        QVERIFY(tls->files.contains(folder + u"/client.key"_s));
    }
}

void tst_TlsTrust::firstExistingRootWins()
{
    // As containers/image: the user's folder for the host replaces the machine's, with no merge;
    // a root without a folder for the host is passed over.
    const QString user = m_dir.filePath(u"first/user"_s);
    const QString system = m_dir.filePath(u"first/system"_s);
    const QString docker = m_dir.filePath(u"first/docker"_s);
    write(user + u"/a.example"_s, u"ca.crt"_s, material(u"rsa.pem"_s));
    write(system + u"/a.example"_s, u"ca.crt"_s, material(u"ec.pem"_s));
    write(system + u"/a.example"_s, u"more.crt"_s, material(u"rsa.pem"_s));
    write(docker + u"/b.example:443"_s, u"ca.crt"_s, material(u"ec.pem"_s));
    const TlsTrust trust({user, system, docker});
    const auto a = trust.forAuthority(u"a.example"_s);
    QCOMPARE(a->folder, user + u"/a.example"_s);
    QCOMPARE(a->authorities.size(), 1);
    QCOMPARE(a->authorities.first().subjectInfo(QSslCertificate::CommonName), {u"rsa-ca"_s});
    const auto b = trust.forAuthority(u"b.example:443"_s);
    QCOMPARE(b->folder, docker + u"/b.example:443"_s);
    QCOMPARE(b->authorities.first().subjectInfo(QSslCertificate::CommonName), {u"ec-client"_s});
    // "b.example" (the default port) is another folder's name, and there is none.
    QVERIFY(trust.forAuthority(u"b.example"_s)->isEmpty());
    QVERIFY(trust.forAuthority(u"b.example"_s)->folder.isEmpty());

    qputenv("HOME", m_dir.filePath(u"home"_s).toUtf8());
    QCOMPARE(TlsTrust::defaultRoots(),
             (QStringList{m_dir.filePath(u"home/.config/containers/certs.d"_s),
                          u"/etc/containers/certs.d"_s,
                          u"/etc/docker/certs.d"_s}));
}

void tst_TlsTrust::cachedPerAuthority()
{
    // Read once per policy snapshot: a file changed later is seen by the next TlsTrust only.
    const QString root = m_dir.filePath(u"cached"_s);
    write(root + u"/c.example"_s, u"ca.crt"_s, material(u"rsa.pem"_s));
    const TlsTrust trust({root});
    const auto first = trust.forAuthority(u"c.example"_s);
    write(root + u"/c.example"_s, u"ca.crt"_s, "junk");
    QCOMPARE(trust.forAuthority(u"c.example"_s), first);
    QVERIFY(!first->problem);
    QVERIFY(TlsTrust({root}).forAuthority(u"c.example"_s)->problem);
}

void tst_TlsTrust::hostileAuthority()
{
    // An authority from a hostile URL never names a folder outside the roots.
    const QString root = m_dir.filePath(u"hostile/roots"_s);
    write(m_dir.filePath(u"hostile/outside"_s), u"ca.crt"_s, material(u"rsa.pem"_s));
    QVERIFY(QDir().mkpath(root));
    const TlsTrust trust({root});
    for (const QString &authority :
         {u"../outside"_s, u".."_s, u"."_s, u""_s, u"a/../../outside"_s, u"..\\outside"_s})
        QVERIFY2(trust.forAuthority(authority)->folder.isEmpty(), qPrintable(authority));
}

void tst_TlsTrust::curlDiagnosis_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<long>("verifyResult");
    QTest::addColumn<QString>("buffer");
    QTest::addColumn<TlsFault>("fault");

    const QString verifyFailed = u"SSL certificate problem: self-signed certificate"_s;
    QTest::newRow("self-signed") << 60 << long(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
                                 << verifyFailed << TlsFault::UnknownAuthority;
    QTest::newRow("private CA") << 60 << long(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
                                << u"unable to get local issuer certificate"_s
                                << TlsFault::UnknownAuthority;
    QTest::newRow("self-signed in chain")
        << 60 << long(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) << u""_s << TlsFault::UnknownAuthority;
    QTest::newRow("expired") << 60 << long(X509_V_ERR_CERT_HAS_EXPIRED)
                             << u"SSL certificate problem: certificate has expired"_s
                             << TlsFault::Expired;
    QTest::newRow("not yet valid")
        << 60 << long(X509_V_ERR_CERT_NOT_YET_VALID) << u""_s << TlsFault::NotYetValid;
    QTest::newRow("revoked") << 60 << long(X509_V_ERR_CERT_REVOKED) << u""_s << TlsFault::Revoked;
    QTest::newRow("curl's own name check")
        << 60 << 0L
        << u"SSL: no alternative certificate subject name matches target host name 'vm'"_s
        << TlsFault::NameMismatch;
    QTest::newRow("OpenSSL's name check")
        << 60 << long(X509_V_ERR_HOSTNAME_MISMATCH) << u""_s << TlsFault::NameMismatch;
    QTest::newRow("TLS 1.3 certificate required")
        << 56 << 0L
        << u"OpenSSL SSL_read: OpenSSL/3.0.19: error:0A00045C:SSL routines::tlsv13 alert "
           "certificate required, errno 0"_s
        << TlsFault::ClientCertificateRequired;
    QTest::newRow("Go's bad certificate")
        << 56 << 0L
        << u"OpenSSL SSL_read: OpenSSL/3.0.19: error:0A000412:SSL routines::sslv3 alert bad "
           "certificate, errno 0"_s
        << TlsFault::ClientCertificateRequired;
    QTest::newRow("TLS 1.2 unknown ca")
        << 35 << 0L << u"sslv3 alert unknown ca"_s << TlsFault::ClientCertificateRequired;
    QTest::newRow("other") << 35 << 0L << u"wrong version number"_s << TlsFault::Other;
    QTest::newRow("empty") << 35 << 0L << u""_s << TlsFault::Other;
}

void tst_TlsTrust::curlDiagnosis()
{
    QFETCH(int, code);
    QFETCH(long, verifyResult);
    QFETCH(QString, buffer);
    QFETCH(TlsFault, fault);
    const TlsDiagnosis diagnosis = diagnoseCurlTls(code, verifyResult, buffer);
    QCOMPARE(diagnosis.fault, fault);
    QCOMPARE(diagnosis.detail, buffer);
}

void tst_TlsTrust::qtDiagnosis_data()
{
    QTest::addColumn<QList<int>>("errors");
    QTest::addColumn<QString>("errorString");
    QTest::addColumn<TlsFault>("fault");

    QTest::newRow("self-signed") << QList<int>{QSslError::SelfSignedCertificate} << u""_s
                                 << TlsFault::UnknownAuthority;
    QTest::newRow("unknown CA before the name")
        << QList<int>{QSslError::HostNameMismatch, QSslError::UnableToGetLocalIssuerCertificate}
        << u""_s << TlsFault::UnknownAuthority;
    QTest::newRow("expired before the name")
        << QList<int>{QSslError::HostNameMismatch, QSslError::CertificateExpired} << u""_s
        << TlsFault::Expired;
    QTest::newRow("name") << QList<int>{QSslError::HostNameMismatch} << u""_s
                          << TlsFault::NameMismatch;
    QTest::newRow("revoked first")
        << QList<int>{QSslError::SelfSignedCertificate, QSslError::CertificateRevoked} << u""_s
        << TlsFault::Revoked;
    QTest::newRow("not yet valid")
        << QList<int>{QSslError::CertificateNotYetValid} << u""_s << TlsFault::NotYetValid;
    QTest::newRow("alert without errors")
        << QList<int>{}
        << u"Error while reading: error:0A000412:SSL routines::sslv3 alert bad certificate"_s
        << TlsFault::ClientCertificateRequired;
    QTest::newRow("nothing known") << QList<int>{} << u"Connection closed"_s << TlsFault::Other;
}

void tst_TlsTrust::qtDiagnosis()
{
    QFETCH(QList<int>, errors);
    QFETCH(QString, errorString);
    QFETCH(TlsFault, fault);
    const auto certificates = QSslCertificate::fromData(material(u"rsa.pem"_s));
    QList<QSslError> sslErrors;
    for (int e : errors)
        sslErrors.append(QSslError(QSslError::SslError(e), certificates.first()));
    const TlsDiagnosis diagnosis = diagnoseQtTls(sslErrors, errorString);
    QCOMPARE(diagnosis.fault, fault);
    if (fault == TlsFault::NameMismatch)
        QCOMPARE(diagnosis.certificateNames, QStringList{u"rsa-ca"_s});
}

void tst_TlsTrust::messages_data()
{
    // The message names the host and says what to do; {user} and {system} stand for the certs.d
    // paths of the host.
    QTest::addColumn<TlsFault>("fault");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("withClient");
    QTest::addColumn<QStringList>("words");

    QTest::newRow("unknown CA") << TlsFault::UnknownAuthority << QStringList{} << false
                                << QStringList{
                                       u"self-signed"_s,
                                       u"~/.config/containers/certs.d/reg.example:5000/ca.crt"_s,
                                       u"/etc/docker/certs.d/reg.example:5000/ca.crt"_s};
    QTest::newRow("expired") << TlsFault::Expired << QStringList{} << false
                             << QStringList{u"expired"_s, u"clock"_s};
    QTest::newRow("not yet valid") << TlsFault::NotYetValid << QStringList{} << false
                                   << QStringList{u"not valid yet"_s, u"clock"_s};
    QTest::newRow("name mismatch")
        << TlsFault::NameMismatch << QStringList{u"a.example"_s, u"b.example"_s} << false
        << QStringList{u"a.example, b.example"_s, u"not reg.example"_s};
    QTest::newRow("name mismatch, names unknown")
        << TlsFault::NameMismatch << QStringList{} << false
        << QStringList{u"not for the name reg.example"_s};
    QTest::newRow("client certificate required")
        << TlsFault::ClientCertificateRequired << QStringList{} << false
        << QStringList{u"wants a client certificate"_s,
                       u"~/.config/containers/certs.d/reg.example:5000/client.cert"_s,
                       u"~/.config/containers/certs.d/reg.example:5000/client.key"_s};
    QTest::newRow("client certificate refused")
        << TlsFault::ClientCertificateRequired << QStringList{} << true
        << QStringList{u"did not accept the client certificate"_s, u"/certs/client.cert"_s};
    QTest::newRow("other") << TlsFault::Other << QStringList{} << false
                           << QStringList{u"TLS connection"_s, u"the detail"_s};
}

void tst_TlsTrust::messages()
{
    QFETCH(TlsFault, fault);
    QFETCH(QStringList, names);
    QFETCH(bool, withClient);
    QFETCH(QStringList, words);
    HostTls tls;
    if (withClient) {
        tls.folder = u"/certs"_s;
        tls.clientCertificate = QSslCertificate::fromData(material(u"ec.pem"_s)).first();
        tls.files = QStringList{u"/certs/client.cert"_s, u"/certs/client.key"_s};
    }
    const Error error = tlsError(u"reg.example:5000"_s,
                                 TlsDiagnosis{fault, names, u"the detail"_s},
                                 withClient ? &tls : nullptr);
    QCOMPARE(error.kind, Error::Kind::Tls);
    QVERIFY2(error.message.contains(u"reg.example:5000"_s), qPrintable(error.message));
    for (const QString &word : words)
        QVERIFY2(error.message.contains(word), qPrintable(error.message));
}

// The certs.d folder a URL's host is looked up under: "HOST[:PORT]", IPv6 in brackets.
void tst_TlsTrust::authorityOfUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("authority");
    QTest::newRow("default port") << u"https://registry.corp.example/v2/"_s
                                  << u"registry.corp.example"_s;
    QTest::newRow("port") << u"https://registry.corp.example:5000/v2/"_s
                          << u"registry.corp.example:5000"_s;
    QTest::newRow("IPv4") << u"https://10.1.2.3:5000/v2/"_s << u"10.1.2.3:5000"_s;
    QTest::newRow("IPv6") << u"https://[fd00::1]:5000/v2/"_s << u"[fd00::1]:5000"_s;
    QTest::newRow("IPv6, default port") << u"https://[fd00::1]/v2/"_s << u"[fd00::1]"_s;
}

void tst_TlsTrust::authorityOfUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, authority);
    QCOMPARE(certsAuthority(QUrl(url)), authority);
}

QTEST_GUILESS_MAIN(tst_TlsTrust)
#include "tst_tlstrust.moc"
