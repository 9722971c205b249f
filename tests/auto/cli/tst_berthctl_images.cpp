// berthctl's local-image verbs on the embedded store, end to end against the real registries:
// the workflow of the Docker course Berth's first users follow (pull, pull again, tag, push,
// remove, prune) plus fsck.
#include "berthctlrunner.h"
#include "testservices.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;

class TestBerthctlImages final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_store;
    QProcessEnvironment m_env;

    CtlRun ctl(QStringList arguments)
    {
        arguments << QStringLiteral("--backend") << QStringLiteral("embedded");
        return runBerthctl(arguments, m_env);
    }
    CtlRun ctlJson(QStringList arguments)
    {
        return ctl(arguments << QStringLiteral("--format") << QStringLiteral("json"));
    }
    static QJsonObject json(const CtlRun &run) { return QJsonDocument::fromJson(run.out).object(); }
    static QString plain()
    {
        return TestServices::instance().registry(QStringLiteral("plain")).host;
    }
    static QString busybox() { return plain() + QStringLiteral("/berth/busybox:1.0"); }

private slots:
    void init()
    {
        QVERIFY(m_store.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("BERTH_STORE"), m_store.path() + QStringLiteral("/store"));
        // Start each test from an empty store.
        QDir(m_store.path() + QStringLiteral("/store")).removeRecursively();
    }

    // `berthctl history` on every backend: rows like docker history's, newest first.
    void historyOnEveryBackend_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("embedded") << QStringLiteral("embedded");
        QTest::newRow("docker") << QStringLiteral("docker");
        QTest::newRow("podman") << QStringLiteral("podman");
    }

    void historyOnEveryBackend()
    {
        QFETCH(QString, backend);
        QProcessEnvironment env = m_env;
        if (backend != u"embedded") {
            const QString socket = TestServices::instance().engineSocket(backend);
            QVERIFY2(!socket.isEmpty(), "the test services were started without the engines");
            env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + socket);
        }
        const auto run = [&](QStringList arguments) {
            return runBerthctl(arguments << QStringLiteral("--backend") << backend, env);
        };
        const CtlRun pulled = run({QStringLiteral("pull"), busybox()});
        QVERIFY2(pulled.exitCode == 0, pulled.err.constData());

        const CtlRun listed = run({QStringLiteral("history"),
                                   busybox(),
                                   QStringLiteral("--format"),
                                   QStringLiteral("json")});
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        const QJsonObject result = json(listed);
        QCOMPARE(result.value(u"backend").toString(), backend);
        const QJsonArray rows = result.value(u"history").toArray();
        QVERIFY(rows.size() >= 2); // busybox: ADD the files, then CMD
        const QJsonObject top = rows.first().toObject();
        QVERIFY2(top.value(u"id").toString().startsWith(u"sha256:"),
                 qPrintable(top.value(u"id").toString()));
        if (backend != u"podman") // podman's compatible service names no tags in history
            QVERIFY(top.value(u"tags").toArray().contains(busybox()));
        QVERIFY(top.value(u"createdBy").toString().contains(u"CMD"));
        qint64 total = 0;
        for (const QJsonValue &row : rows) {
            QVERIFY(!row.toObject().value(u"created").toString().isEmpty());
            total += row.toObject().value(u"size").toInteger();
        }
        QVERIFY(total > 0);

        const CtlRun table = run({QStringLiteral("history"), busybox()});
        QVERIFY2(table.exitCode == 0, table.err.constData());
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), rows.size() + 1);
        QVERIFY2(lines.first().startsWith("IMAGE") && lines.first().contains("CREATED BY")
                     && lines.first().contains("SIZE") && lines.first().contains("COMMENT"),
                 lines.first().constData());
        QVERIFY(lines.at(1).startsWith(top.value(u"id").toString().mid(7, 12).toLatin1()));
        QVERIFY2(lines.at(1).contains(" ago") || lines.at(1).contains("just now"),
                 lines.at(1).constData());

        const CtlRun unknown = run({QStringLiteral("history"), QStringLiteral("never-pulled:1")});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.contains("never-pulled"), unknown.err.constData());
    }

    void secondPullDownloadsNothing()
    {
        const CtlRun first = ctlJson({QStringLiteral("pull"), busybox()});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QVERIFY(json(first).value(u"layersTransferred").toInt() > 0);
        QCOMPARE(
            json(first).value(u"digest").toString(),
            TestServices::instance().image(QStringLiteral("busybox")).value(u"digest").toString());

        const CtlRun second = ctlJson({QStringLiteral("pull"), busybox()});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(json(second).value(u"layersTransferred").toInt(), 0);
        QCOMPARE(json(second).value(u"bytesTransferred").toInteger(), 0);
        QVERIFY(json(second).value(u"layersSkipped").toInt() > 0);

        const CtlRun text = ctl({QStringLiteral("pull"), busybox()});
        QVERIFY(text.out.contains("Image is up to date"));
    }

    void imagesGroupsTagsOfOneId()
    {
        QCOMPARE(ctl({QStringLiteral("pull"), busybox()}).exitCode, 0);
        QCOMPARE(
            ctl({QStringLiteral("tag"), busybox(), QStringLiteral("jean/mon-app:1.0.0")}).exitCode,
            0);
        const CtlRun list = ctlJson({QStringLiteral("images")});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray images = json(list).value(u"images").toArray();
        QCOMPARE(images.size(), 1);
        const QJsonArray tags = images.first().toObject().value(u"repoTags").toArray();
        QCOMPARE(tags.size(), 2);
        QVERIFY(tags.contains(QStringLiteral("jean/mon-app:1.0.0")));
        const CtlRun table = ctl({QStringLiteral("images")});
        QVERIFY(table.out.startsWith("REPOSITORY"));
        QVERIFY(table.out.contains("jean/mon-app"));
    }

    // As the Docker course does: tag mon-app jean/mon-app:1.0.0, then push; skopeo reads back the
    // same digest.
    void tagAndPushThenSkopeoAgrees()
    {
        QCOMPARE(ctl({QStringLiteral("pull"), busybox()}).exitCode, 0);
        const QString destination = plain() + QStringLiteral("/jean/mon-app:1.0.0");
        QCOMPARE(ctl({QStringLiteral("tag"), busybox(), destination}).exitCode, 0);
        const CtlRun push = ctlJson({QStringLiteral("push"), destination});
        QVERIFY2(push.exitCode == 0, push.err.constData());
        const QString digest = json(push).value(u"digest").toString();
        QCOMPARE(
            digest,
            TestServices::instance().image(QStringLiteral("busybox")).value(u"digest").toString());

        QProcess skopeo;
        skopeo.start(QStringLiteral("skopeo"),
                     {QStringLiteral("inspect"),
                      QStringLiteral("--tls-verify=false"),
                      QStringLiteral("docker://") + destination});
        QVERIFY(skopeo.waitForFinished(60000));
        QCOMPARE(skopeo.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(skopeo.readAllStandardOutput())
                     .object()
                     .value(u"Digest")
                     .toString(),
                 digest);
    }

    void removeAndPrune()
    {
        QCOMPARE(ctl({QStringLiteral("pull"), busybox()}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("tag"), busybox(), QStringLiteral("mon-app")}).exitCode, 0);
        const CtlRun untag = ctl({QStringLiteral("rmi"), QStringLiteral("mon-app")});
        QCOMPARE(untag.exitCode, 0);
        QVERIFY(untag.out.contains("Untagged: mon-app:latest"));
        QCOMPARE(json(ctlJson({QStringLiteral("images")})).value(u"images").toArray().size(), 1);

        const CtlRun refused = ctl({QStringLiteral("prune"), QStringLiteral("--all")});
        QCOMPARE(refused.exitCode, 2); // no terminal to confirm on, and no --force
        const CtlRun prune = ctlJson(
            {QStringLiteral("prune"), QStringLiteral("--all"), QStringLiteral("--force")});
        QVERIFY2(prune.exitCode == 0, prune.err.constData());
        QVERIFY(json(prune).value(u"reclaimedBytes").toInteger() > 0);
        QCOMPARE(json(ctlJson({QStringLiteral("images")})).value(u"images").toArray().size(), 0);

        const CtlRun fsck = ctlJson({QStringLiteral("fsck")});
        QCOMPARE(fsck.exitCode, 0);
        QVERIFY(json(fsck).value(u"clean").toBool());
    }

    void fsckFindsCorruption()
    {
        QCOMPARE(ctl({QStringLiteral("pull"), busybox()}).exitCode, 0);
        QCOMPARE(ctlJson({QStringLiteral("fsck")}).exitCode, 0);
        // Damage the largest blob (a layer) in place.
        QDir blobs(m_store.path() + QStringLiteral("/store/blobs/sha256"));
        const QFileInfoList files = blobs.entryInfoList(QDir::Files, QDir::Size);
        QVERIFY(!files.isEmpty());
        QFile layer(files.first().filePath());
        QVERIFY(layer.open(QIODevice::ReadWrite));
        layer.seek(layer.size() / 2);
        layer.write("corrupt");
        layer.close();
        const CtlRun fsck = ctlJson({QStringLiteral("fsck")});
        QCOMPARE(fsck.exitCode, 1);
        QVERIFY(!json(fsck).value(u"clean").toBool());
        QVERIFY(QJsonDocument(json(fsck)).toJson().contains(files.first().fileName().toLatin1()));
    }

    void usageErrors()
    {
        QCOMPARE(
            runBerthctl(
                {QStringLiteral("images"), QStringLiteral("--backend"), QStringLiteral("bogus")},
                m_env)
                .exitCode,
            2);
        QCOMPARE(ctl({QStringLiteral("pull")}).exitCode, 2);
        QCOMPARE(ctl({QStringLiteral("pull"), QStringLiteral("Node")}).exitCode, 2);
        QCOMPARE(ctl({QStringLiteral("tag"), QStringLiteral("only-one")}).exitCode, 2);
        const CtlRun missing
            = ctl({QStringLiteral("pull"), plain() + QStringLiteral("/berth/busybox:nope")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("nope"));
        const CtlRun unknownLocal = ctl({QStringLiteral("rmi"), QStringLiteral("never-pulled:1")});
        QCOMPARE(unknownLocal.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestBerthctlImages)
#include "tst_berthctl_images.moc"
