// berthctl end to end: the real binary against the real registries of the test services and
// the fake Hub, checking exit codes, text and JSON output.
#include "berthctlrunner.h"
#include "fakehubserver.h"
#include "testservices.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;

class TestBerthctl final : public QObject
{
    Q_OBJECT

private:
    static QJsonObject json(const CtlRun &run)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
        if (error.error != QJsonParseError::NoError)
            qWarning() << "not JSON:" << run.out.left(500) << run.err.left(500);
        return doc.object();
    }

private slots:
    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no verb") << QStringList() << QStringLiteral("Usage: berthctl");
        QTest::newRow("unknown verb") << QStringList{QStringLiteral("frobnicate")}
                                      << QStringLiteral("unknown command 'frobnicate'");
        QTest::newRow("uppercase") << QStringList{QStringLiteral("inspect"), QStringLiteral("Node")}
                                   << QStringLiteral("repository name must be lowercase: 'Node'");
        QTest::newRow("bad format") << QStringList{QStringLiteral("tags"),
                                                   QStringLiteral("node"),
                                                   QStringLiteral("--format"),
                                                   QStringLiteral("xml")}
                                    << QStringLiteral("unknown format 'xml'");
        QTest::newRow("bad platform") << QStringList{QStringLiteral("inspect"),
                                                     QStringLiteral("node"),
                                                     QStringLiteral("--platform"),
                                                     QStringLiteral("linux")}
                                      << QStringLiteral("linux");
        QTest::newRow("tags with a tag")
            << QStringList{QStringLiteral("tags"), QStringLiteral("node:15")}
            << QStringLiteral("node:15");
        QTest::newRow("search without term")
            << QStringList{QStringLiteral("search")} << QStringLiteral("exactly one search term");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("inspect"),
                                                       QStringLiteral("--bogus"),
                                                       QStringLiteral("x")}
                                        << QStringLiteral("bogus");
        QTest::newRow("limit out of range") << QStringList{QStringLiteral("search"),
                                                           QStringLiteral("x"),
                                                           QStringLiteral("--limit"),
                                                           QStringLiteral("500")}
                                            << QStringLiteral("--limit");
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CtlRun run = runBerthctl(arguments);
        QCOMPARE(run.exitCode, 2);
        const QString output = QString::fromUtf8(run.err + run.out);
        QVERIFY2(output.contains(message), qPrintable(output));
    }

    void helpAndVersion()
    {
        const CtlRun help = runBerthctl({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char *verb : {"search", "tags", "inspect"})
            QVERIFY(help.out.contains(verb));
        const CtlRun version = runBerthctl({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("berthctl "));
    }

    void tagsGroupedByDigest_data()
    {
        QTest::addColumn<QString>("flavour");
        QTest::newRow("plain") << QStringLiteral("plain");
        QTest::newRow("token (anonymous pull)") << QStringLiteral("token");
    }

    void tagsGroupedByDigest()
    {
        QFETCH(QString, flavour);
        const auto &services = TestServices::instance();
        const QJsonObject busybox = services.image(QStringLiteral("busybox"));
        const QString repository
            = services.registry(flavour).host + u'/' + busybox.value(u"repository").toString();
        const CtlRun run = runBerthctl({QStringLiteral("tags"),
                                        repository,
                                        QStringLiteral("--format"),
                                        QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray groups = json(run).value(u"groups").toArray();
        QCOMPARE(groups.size(), 1);
        const QJsonObject group = groups.first().toObject();
        QCOMPARE(group.value(u"digest").toString(), busybox.value(u"digest").toString());
        QStringList tags;
        for (const QJsonValue &t : group.value(u"tags").toArray())
            tags.append(t.toString());
        QStringList expected;
        for (const QJsonValue &t : busybox.value(u"tags").toArray())
            expected.append(t.toString());
        tags.sort();
        expected.sort();
        QCOMPARE(tags, expected);
        QCOMPARE(group.value(u"platforms").toArray().first().toString(),
                 QStringLiteral("linux/amd64"));
        QVERIFY(group.value(u"size").toInteger() > 0);
    }

    void manyTags()
    {
        const auto &services = TestServices::instance();
        const QJsonObject many = services.many();
        const QString repository = services.registry(QStringLiteral("plain")).host + u'/'
                                   + many.value(u"repository").toString();
        const CtlRun run = runBerthctl({QStringLiteral("tags"),
                                        repository,
                                        QStringLiteral("--format"),
                                        QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject result = json(run);
        QCOMPARE(result.value(u"tagCount").toInt(), many.value(u"tags").toInt());
        const QJsonArray groups = result.value(u"groups").toArray();
        QCOMPARE(groups.size(), many.value(u"digests").toInt());
        const QJsonObject expected = many.value(u"groups").toObject();
        for (const QJsonValue &g : groups) {
            const QJsonObject group = g.toObject();
            const QString digest = group.value(u"digest").toString();
            QVERIFY2(expected.contains(digest), qPrintable(digest));
            QCOMPARE(group.value(u"tags").toArray().size(),
                     expected.value(digest).toArray().size());
        }
        // The text form is a table with one line per digest.
        const CtlRun text = runBerthctl({QStringLiteral("tags"), repository});
        QCOMPARE(text.exitCode, 0);
        QCOMPARE(text.out.count('\n'), many.value(u"digests").toInt() + 1);
    }

    void inspect_data()
    {
        QTest::addColumn<QString>("flavour");
        QTest::addColumn<QString>("image");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QStringList>("platforms");
        for (const char *flavour : {"plain", "token"}) {
            const QString f = QString::fromLatin1(flavour);
            QTest::addRow("%s oci", flavour) << f << QStringLiteral("busybox") << QStringList()
                                             << QStringList{QStringLiteral("linux/amd64")};
            QTest::addRow("%s docker v2", flavour)
                << f << QStringLiteral("busybox-docker") << QStringList()
                << QStringList{QStringLiteral("linux/amd64")};
            QTest::addRow("%s index, arm64", flavour)
                << f << QStringLiteral("multiarch")
                << QStringList{QStringLiteral("--platform"), QStringLiteral("linux/arm64")}
                << QStringList{QStringLiteral("linux/arm64/v8")};
            QTest::addRow("%s index, all", flavour)
                << f << QStringLiteral("multiarch")
                << QStringList{QStringLiteral("--all-platforms")}
                << QStringList{QStringLiteral("linux/amd64"), QStringLiteral("linux/arm64/v8")};
        }
    }

    void inspect()
    {
        QFETCH(QString, flavour);
        QFETCH(QString, image);
        QFETCH(QStringList, extra);
        QFETCH(QStringList, platforms);
        const auto &services = TestServices::instance();
        const QJsonObject fixture = services.image(image);
        const QString reference = services.registry(flavour).host + u'/'
                                  + fixture.value(u"repository").toString() + u':'
                                  + fixture.value(u"tags").toArray().first().toString();
        const CtlRun run = runBerthctl(QStringList{QStringLiteral("inspect"),
                                                   reference,
                                                   QStringLiteral("--format"),
                                                   QStringLiteral("json")}
                                       + extra);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject result = json(run);
        QCOMPARE(result.value(u"digest").toString(), fixture.value(u"digest").toString());
        QCOMPARE(result.value(u"mediaType").toString(), fixture.value(u"mediaType").toString());
        const QJsonArray images = result.value(u"images").toArray();
        QCOMPARE(images.size(), platforms.size());
        for (qsizetype i = 0; i < images.size(); ++i) {
            const QJsonObject img = images.at(i).toObject();
            QCOMPARE(img.value(u"platform").toString(), platforms.at(i));
            QCOMPARE(img.value(u"layers").toArray().size(), 2);
            QVERIFY(!img.value(u"history").toArray().isEmpty());
            QVERIFY(!img.value(u"dockerfile").toArray().isEmpty());
        }
        // The text form names the digest and the history.
        const CtlRun text = runBerthctl(QStringList{QStringLiteral("inspect"), reference} + extra);
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(fixture.value(u"digest").toString().toLatin1()));
        QVERIFY(text.out.contains("History:"));
    }

    void failures_data()
    {
        QTest::addColumn<QString>("flavour");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown tag")
            << QStringLiteral("plain") << QStringLiteral("berth/busybox:nope")
            << QStringLiteral("not-found") << QStringLiteral("nope");
        QTest::newRow("unknown repository")
            << QStringLiteral("plain") << QStringLiteral("berth/absent:1")
            << QStringLiteral("not-found") << QStringLiteral("berth/absent");
        QTest::newRow("private, anonymous, token")
            << QStringLiteral("token") << QStringLiteral("private/secret:1.0")
            << QStringLiteral("unauthorized") << QStringLiteral("private/secret");
        QTest::newRow("private, anonymous, basic")
            << QStringLiteral("basic") << QStringLiteral("private/secret:1.0")
            << QStringLiteral("unauthorized") << QStringLiteral("private/secret");
        QTest::newRow("missing platform")
            << QStringLiteral("plain")
            << QStringLiteral("berth/multiarch:1.0 --platform windows/amd64")
            << QStringLiteral("not-found") << QStringLiteral("windows/amd64");
    }

    void failures()
    {
        QFETCH(QString, flavour);
        QFETCH(QString, path);
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        QStringList arguments = path.split(u' ');
        arguments.first()
            = TestServices::instance().registry(flavour).host + u'/' + arguments.first();
        arguments.prepend(QStringLiteral("inspect"));
        const CtlRun text = runBerthctl(arguments);
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(QString::fromUtf8(text.err).contains(mentions), text.err.constData());
        QVERIFY(text.out.isEmpty());
        const CtlRun structured = runBerthctl(
            arguments + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(structured.exitCode, 1);
        const QJsonObject error
            = QJsonDocument::fromJson(structured.err).object().value(u"error").toObject();
        QCOMPARE(error.value(u"kind").toString(), kind);
    }

    void unreachableRegistry()
    {
        // A port nothing listens on: refused at once, reported as a network failure.
        const CtlRun run = runBerthctl({QStringLiteral("inspect"),
                                        QStringLiteral("127.0.0.1:9/x/y:1"),
                                        QStringLiteral("--format"),
                                        QStringLiteral("json")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(run.err)
                     .object()
                     .value(u"error")
                     .toObject()
                     .value(u"kind")
                     .toString(),
                 QStringLiteral("network"));
    }

    void loginThenPrivateThenLogout_data()
    {
        QTest::addColumn<QString>("flavour");
        QTest::newRow("basic auth") << QStringLiteral("basic");
        QTest::newRow("token auth") << QStringLiteral("token");
    }

    // The issue's "done when": after login, tags and inspect of a private repository work; after
    // logout they are refused again; the secret is only ever in the keychain.
    void loginThenPrivateThenLogout()
    {
        QFETCH(QString, flavour);
        const auto &services = TestServices::instance();
        const TestRegistry registry = services.registry(flavour);
        const QString privateRef = registry.host + QStringLiteral("/private/secret:1.0");
        const QString privateRepo = registry.host + QStringLiteral("/private/secret");

        const CtlRun wrong = runBerthctl({QStringLiteral("login"),
                                          registry.host,
                                          QStringLiteral("-u"),
                                          registry.username,
                                          QStringLiteral("--password-stdin")},
                                         QProcessEnvironment::systemEnvironment(),
                                         "not-the-password\n");
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("refused the user name or password"), wrong.err.constData());
        const CtlRun listAfterWrong = runBerthctl({QStringLiteral("login"),
                                                   QStringLiteral("--list"),
                                                   QStringLiteral("--format"),
                                                   QStringLiteral("json")});
        QCOMPARE(listAfterWrong.exitCode, 0);
        QVERIFY2(!listAfterWrong.out.contains(registry.host.toUtf8()),
                 listAfterWrong.out.constData());

        const CtlRun right = runBerthctl({QStringLiteral("login"),
                                          registry.host,
                                          QStringLiteral("--username"),
                                          registry.username,
                                          QStringLiteral("--password-stdin")},
                                         QProcessEnvironment::systemEnvironment(),
                                         registry.password.toUtf8() + '\n');
        QVERIFY2(right.exitCode == 0, right.err.constData());
        QVERIFY(right.err.contains("Login Succeeded"));

        const CtlRun list = runBerthctl({QStringLiteral("login"),
                                         QStringLiteral("--list"),
                                         QStringLiteral("--format"),
                                         QStringLiteral("json")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(registry.host.toUtf8()));
        QVERIFY(list.out.contains(registry.username.toUtf8()));
        QVERIFY(!list.out.contains(registry.password.toUtf8()));

        const CtlRun inspect = runBerthctl({QStringLiteral("inspect"),
                                            privateRef,
                                            QStringLiteral("--format"),
                                            QStringLiteral("json")});
        QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
        QCOMPARE(json(inspect).value(u"digest").toString(),
                 services.image(QStringLiteral("private")).value(u"digest").toString());
        const CtlRun tags = runBerthctl({QStringLiteral("tags"), privateRepo});
        QVERIFY2(tags.exitCode == 0, tags.err.constData());
        QVERIFY(tags.out.contains("1.0"));

        // Nothing under HOME (settings, docker config) holds the password.
        QDirIterator it(QDir::homePath(),
                        QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.size() > 4 * 1024 * 1024 || !file.open(QIODevice::ReadOnly))
                continue;
            QVERIFY2(!file.readAll().contains(registry.password.toUtf8()),
                     qPrintable(file.fileName()));
        }

        const CtlRun logout = runBerthctl({QStringLiteral("logout"), registry.host});
        QVERIFY2(logout.exitCode == 0, logout.err.constData());
        const CtlRun refused = runBerthctl({QStringLiteral("inspect"), privateRef});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("private/secret"), refused.err.constData());
        const CtlRun listAfterLogout = runBerthctl({QStringLiteral("login"),
                                                    QStringLiteral("--list"),
                                                    QStringLiteral("--format"),
                                                    QStringLiteral("json")});
        QVERIFY(!listAfterLogout.out.contains(registry.host.toUtf8()));
    }

    // Existing docker and podman logins just work: a login kept by docker's real credential helper
    // (credsStore), a base64 `auths` entry, and podman's auth.json each let berthctl read a
    // private repository, with nothing stored by Berth itself.
    void dockerAndPodmanLoginsAreUsed_data()
    {
        QTest::addColumn<QString>("flavour");
        QTest::addColumn<QString>("source");
        for (const char *flavour : {"basic", "token"}) {
            for (const char *source :
                 {"credsStore secretservice", "config.json auths", "podman auth.json"})
                QTest::addRow("%s, %s", flavour, source)
                    << QString::fromLatin1(flavour) << QString::fromLatin1(source);
        }
    }

    void dockerAndPodmanLoginsAreUsed()
    {
        QFETCH(QString, flavour);
        QFETCH(QString, source);
        const TestRegistry registry = TestServices::instance().registry(flavour);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_CONFIG"), dir.path() + QStringLiteral("/docker"));
        env.insert(QStringLiteral("REGISTRY_AUTH_FILE"), dir.path() + QStringLiteral("/auth.json"));
        QVERIFY(QDir().mkpath(dir.path() + QStringLiteral("/docker")));
        const QByteArray basic = (registry.username + u':' + registry.password).toUtf8().toBase64();
        auto writeFile = [](const QString &path, const QJsonObject &object) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QJsonDocument(object).toJson());
        };
        QProcess helper;
        if (source.startsWith(u"credsStore")) {
            writeFile(dir.path() + QStringLiteral("/docker/config.json"),
                      QJsonObject{{QStringLiteral("credsStore"), QStringLiteral("secretservice")}});
            helper.start(QStringLiteral("docker-credential-secretservice"),
                         {QStringLiteral("store")});
            QVERIFY(helper.waitForStarted());
            helper.write(QJsonDocument(QJsonObject{{QStringLiteral("ServerURL"), registry.host},
                                                   {QStringLiteral("Username"), registry.username},
                                                   {QStringLiteral("Secret"), registry.password}})
                             .toJson(QJsonDocument::Compact));
            helper.closeWriteChannel();
            QVERIFY(helper.waitForFinished(30000));
            QCOMPARE(helper.exitCode(), 0);
        } else {
            const QJsonObject auths{
                {registry.host, QJsonObject{{QStringLiteral("auth"), QString::fromLatin1(basic)}}}};
            writeFile(source.startsWith(u"podman")
                          ? dir.path() + QStringLiteral("/auth.json")
                          : dir.path() + QStringLiteral("/docker/config.json"),
                      QJsonObject{{QStringLiteral("auths"), auths}});
        }

        const CtlRun inspect = runBerthctl({QStringLiteral("inspect"),
                                            registry.host + QStringLiteral("/private/secret:1.0"),
                                            QStringLiteral("--format"),
                                            QStringLiteral("json")},
                                           env);
        if (source.startsWith(u"credsStore")) {
            QProcess erase;
            erase.start(QStringLiteral("docker-credential-secretservice"),
                        {QStringLiteral("erase")});
            QVERIFY(erase.waitForStarted());
            erase.write(registry.host.toUtf8());
            erase.closeWriteChannel();
            QVERIFY(erase.waitForFinished(30000));
        }
        QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
        QCOMPARE(
            json(inspect).value(u"digest").toString(),
            TestServices::instance().image(QStringLiteral("private")).value(u"digest").toString());
        // Berth itself stored nothing.
        const CtlRun list = runBerthctl({QStringLiteral("login"),
                                         QStringLiteral("--list"),
                                         QStringLiteral("--format"),
                                         QStringLiteral("json")},
                                        env);
        QVERIFY(!list.out.contains(registry.host.toUtf8()));
    }

    void passwordOnCommandLineRefused()
    {
        const CtlRun run = runBerthctl({QStringLiteral("login"),
                                        QStringLiteral("localhost:5000"),
                                        QStringLiteral("-u"),
                                        QStringLiteral("x"),
                                        QStringLiteral("-p"),
                                        QStringLiteral("secret")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--password-stdin"));
    }

    void searchAgainstFakeHub()
    {
        FakeHubServer hub;
        QVERIFY(hub.listen());
        hub.route(QStringLiteral("/api/search/v4"),
                  FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BERTH_HUB_URL"), hub.url().toString());

        const CtlRun run = runBerthctl({QStringLiteral("search"),
                                        QStringLiteral("node"),
                                        QStringLiteral("--official"),
                                        QStringLiteral("--format"),
                                        QStringLiteral("json")},
                                       env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray results = json(run).value(u"results").toArray();
        QVERIFY(!results.isEmpty());
        QCOMPARE(hub.requestCount(QStringLiteral("/api/search/v4")), 1);
        const FakeHubRequest request = hub.requests(QStringLiteral("/api/search/v4")).first();
        QCOMPARE(request.queryItem(QStringLiteral("query")), QStringLiteral("node"));
        QVERIFY(request.queryItem(QStringLiteral("badges")).contains(u"official"));
        const QJsonObject first = results.first().toObject();
        QVERIFY(!first.value(u"name").toString().isEmpty());
        QVERIFY(first.value(u"pulls").toInteger() >= 0);

        const CtlRun text = runBerthctl({QStringLiteral("search"), QStringLiteral("node")}, env);
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.startsWith("NAME"));

        // --hub-url wins over the environment.
        FakeHubServer other;
        QVERIFY(other.listen());
        other.route(QStringLiteral("/api/search/v4"),
                    FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
        const CtlRun overridden = runBerthctl({QStringLiteral("search"),
                                               QStringLiteral("node"),
                                               QStringLiteral("--hub-url"),
                                               other.url().toString()},
                                              env);
        QCOMPARE(overridden.exitCode, 0);
        QCOMPARE(other.requestCount(QStringLiteral("/api/search/v4")), 1);
    }

    // Counts no Hub could mean are unknown: null in JSON, blank in the table, never -1 or a
    // maximum.
    void searchUnknownCounts()
    {
        FakeHubServer hub;
        QVERIFY(hub.listen());
        hub.route(QStringLiteral("/api/search/v4"),
                  FakeHubResponse::json(R"({"total":1,"results":[{"id":"x/unknowable",)"
                                        R"("name":"x/unknowable","star_count":"NaN",)"
                                        R"("pull_count":18446744073709551616}]})"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BERTH_HUB_URL"), hub.url().toString());

        const CtlRun run = runBerthctl({QStringLiteral("search"),
                                        QStringLiteral("y"),
                                        QStringLiteral("--format"),
                                        QStringLiteral("json")},
                                       env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject first = json(run).value(u"results").toArray().first().toObject();
        QVERIFY(first.value(u"stars").isNull());
        QVERIFY(first.value(u"pulls").isNull());

        const CtlRun text = runBerthctl({QStringLiteral("search"), QStringLiteral("y")}, env);
        QCOMPARE(text.exitCode, 0);
        const QByteArray row = text.out.split('\n').value(1);
        QVERIFY2(row.startsWith("x/unknowable") && !row.contains("-1") && !row.contains("18"),
                 text.out.constData());
    }

    void searchHubErrors()
    {
        FakeHubServer hub;
        QVERIFY(hub.listen());
        hub.route(QStringLiteral("/api/search/v4"), FakeHubResponse::malformedJson());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BERTH_HUB_URL"), hub.url().toString());
        const CtlRun run = runBerthctl({QStringLiteral("search"),
                                        QStringLiteral("node"),
                                        QStringLiteral("--format"),
                                        QStringLiteral("json")},
                                       env);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(run.err)
                     .object()
                     .value(u"error")
                     .toObject()
                     .value(u"kind")
                     .toString(),
                 QStringLiteral("protocol"));
    }
};

QTEST_GUILESS_MAIN(TestBerthctl)
#include "tst_berthctl.moc"
