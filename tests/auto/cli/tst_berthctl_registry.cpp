// berthctl's registry management verbs (issue 23) against the real registries of the test
// services: untag and delete. Logins come from a docker config.json of the test's own.

#include "asynctest.h"
#include "berthctlrunner.h"
#include "fakehubserver.h"
#include "pushedimage.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "registry/registryclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QStringList TagsOfA = {u"latest"_s, u"1.2"_s, u"1.2.3"_s};

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list << v.toString();
    return list;
}

} // namespace

class tst_BerthctlRegistry final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        TestServices::instance();
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.path() + u"/docker"_s));
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"DOCKER_CONFIG"_s, m_dir.path() + u"/docker"_s);
        m_env.insert(u"REGISTRY_AUTH_FILE"_s, m_dir.path() + u"/auth.json"_s);
        // The logins berthctl reads as docker's: the basic registry's and the fake Hub's.
        const TestRegistry basic = TestServices::instance().registry(u"basic"_s);
        QJsonObject auths{{basic.host, authOf(basic.username, basic.password)},
                          {u"https://index.docker.io/v1/"_s, authOf(u"jean"_s, u"dckr_pat"_s)}};
        QFile config(m_dir.path() + u"/docker/config.json"_s);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QJsonDocument(QJsonObject{{u"auths"_s, auths}}).toJson());
        m_credentials.set(basic.host, Credential{basic.username, basic.password, false});
        m_client.setCredentialProvider(&m_credentials);
    }

    void untagKeepsTheOtherTags_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("text") << false;
        QTest::newRow("json") << true;
    }
    void untagKeepsTheOtherTags()
    {
        QFETCH(bool, json);
        const ImageReference repo = pushRepository(u"plain"_s);
        QStringList arguments{u"untag"_s, repo.withTag(u"1.2"_s).toString()};
        if (json)
            arguments << u"--format"_s << u"json"_s;
        const CtlRun run = runBerthctl(arguments, m_env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        if (json) {
            const QJsonObject answer = QJsonDocument::fromJson(run.out).object();
            QCOMPARE(answer.value(u"tag"_s).toString(), repo.withTag(u"1.2"_s).familiarString());
            QCOMPARE(answer.value(u"method"_s).toString(), u"throw-away-manifest"_s);
            QCOMPARE(toStringList(answer.value(u"remaining"_s)),
                     (QStringList{u"1.2.3"_s, u"latest"_s}));
        } else {
            QVERIFY2(run.out.contains(QByteArray(
                         "Untagged " + repo.withTag(u"1.2"_s).familiarString().toUtf8())),
                     run.out.constData());
            QVERIFY2(run.out.contains("Still on the same image: 1.2.3, latest"),
                     run.out.constData());
        }
        QCOMPARE(tagsOf(repo), (QStringList{u"1.2.3"_s, u"latest"_s, u"old"_s}));
    }

    void deleteWithYes_data()
    {
        QTest::addColumn<QString>("flavour");
        QTest::newRow("plain") << u"plain"_s;
        QTest::newRow("basic, docker's login") << u"basic"_s;
    }
    void deleteWithYes()
    {
        QFETCH(QString, flavour);
        const ImageReference repo = pushRepository(flavour);
        const CtlRun run = runBerthctl(
            {u"delete"_s, u"--yes"_s, u"--format"_s, u"json"_s, repo.withTag(u"1.2"_s).toString()},
            m_env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject answer = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(answer.value(u"repository"_s).toString(), repo.familiarRepository());
        QCOMPARE(answer.value(u"digest"_s).toString(), m_digestOfA.toString());
        QCOMPARE(toStringList(answer.value(u"tags"_s)),
                 (QStringList{u"1.2.3"_s, u"1.2"_s, u"latest"_s}));
        // The plan went to stderr, stdout is the JSON alone.
        QVERIFY(run.err.contains("garbage collection"));
        QCOMPARE(tagsOf(repo), QStringList{u"old"_s});
    }

    void deleteWithoutYesAndNoTerminalRefuses()
    {
        const ImageReference repo = pushRepository(u"plain"_s);
        const CtlRun run = runBerthctl({u"delete"_s, repo.withTag(u"latest"_s).toString()}, m_env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("pass --yes"), run.err.constData());
        // The plan was shown: the digest and every tag that would go.
        QVERIFY2(run.out.contains(m_digestOfA.toString().toUtf8()), run.out.constData());
        for (const QString &tag : TagsOfA)
            QVERIFY(run.out.contains(QByteArray("  " + tag.toUtf8() + '\n')));
        QCOMPARE(tagsOf(repo), sorted(TagsOfA + QStringList{u"old"_s}));
    }

    void refusedWhenDeletesAreOff_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("untag") << QStringList{u"untag"_s};
        QTest::newRow("delete") << QStringList{u"delete"_s, u"--yes"_s};
    }
    void refusedWhenDeletesAreOff()
    {
        QFETCH(QStringList, arguments);
        const ImageReference repo = pushRepository(u"nodelete"_s);
        const CtlRun run = runBerthctl(arguments << repo.withTag(u"1.2"_s).toString(), m_env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(
                     QByteArray(repo.domain().toUtf8() + " does not allow deleting images")),
                 run.err.constData());
        QCOMPARE(tagsOf(repo), sorted(TagsOfA + QStringList{u"old"_s}));
    }

    void untagOnDockerHub()
    {
        FakeHubServer hub;
        QVERIFY(hub.listen());
        const QString a = Sha256::digestOf("a");
        hub.serveWritableRepository(u"jean"_s,
                                    u"app"_s,
                                    {{u"latest"_s, a}, {u"2"_s, a}},
                                    {u"jean"_s, u"dckr_pat"_s, false});
        QProcessEnvironment env = m_env;
        env.insert(u"BERTH_HUB_URL"_s, hub.url().toString());
        const CtlRun run
            = runBerthctl({u"untag"_s, u"--format"_s, u"json"_s, u"jean/app:2"_s}, env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject answer = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(answer.value(u"method"_s).toString(), u"hub-tag-api"_s);
        QCOMPARE(toStringList(answer.value(u"remaining"_s)), QStringList{u"latest"_s});
        QCOMPARE(hub.writableTags(), QStringList{u"latest"_s});
    }

private:
    static QJsonObject authOf(const QString &user, const QString &password)
    {
        return {{u"auth"_s, QString::fromLatin1((user + u':' + password).toUtf8().toBase64())}};
    }

    // A repository of this test's own: image A under TagsOfA, image B under "old".
    ImageReference pushRepository(const QString &flavour)
    {
        const TestRegistry registry = TestServices::instance().registry(flavour);
        const ImageReference repo
            = parseReference(registry.host + u"/berth/ctl-delete-"_s
                             + QString::number(QRandomGenerator::global()->generate64(), 16))
                  .withTag({});
        auto a = pushSmallImage(m_client, repo, TagsOfA);
        auto b = pushSmallImage(m_client, repo, {u"old"_s});
        if (!a || !b)
            qFatal("pushing the test images failed: %s",
                   qPrintable(describe(!a ? a.error() : b.error())));
        m_digestOfA = *a;
        return repo;
    }

    QStringList tagsOf(const ImageReference &repo)
    {
        auto tags = await<QStringList>([&](auto done) { m_client.listTags(repo, done); });
        return tags ? sorted(*tags) : QStringList{describe(tags.error())};
    }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QNetworkAccessManager m_network;
    TestCredentials m_credentials;
    RegistryClient m_client{&m_network};
    Digest m_digestOfA;
};

QTEST_GUILESS_MAIN(tst_BerthctlRegistry)
#include "tst_berthctl_registry.moc"
