// `berthctl outdated` end to end on the embedded store against the plain registry of the test
// services: the table and the JSON of an up-to-date tag, a moved one and an imported image, and
// the exit status (0 whether or not images are outdated).

#include "berthctlrunner.h"
#include "handtar.h"
#include "movingtag.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

class TestBerthctlOutdated final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;

    CtlRun ctl(QStringList arguments)
    {
        arguments << u"--backend"_s << u"embedded"_s;
        return runBerthctl(arguments, m_env, {}, 300000);
    }
    static QJsonObject rowOf(const QJsonArray &rows, const QString &reference)
    {
        for (const QJsonValue &row : rows)
            if (row.toObject().value(u"reference").toString() == reference)
                return row.toObject();
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"BERTH_STORE"_s, m_dir.filePath(u"store"_s));
    }

    void tableAndJson()
    {
        const QString repository = freshRepository(u"cli"_s);
        QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":current"));
        QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":moving"));
        const QString current = plainRegistryHost() + u'/' + repository + u":current";
        const QString moving = plainRegistryHost() + u'/' + repository + u":moving";
        for (const QString &tag : {current, moving}) {
            const CtlRun pulled = ctl({u"pull"_s, tag});
            QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        }
        const auto [other, otherDigest] = anotherImage();
        QVERIFY(copyInPlainRegistry(other, repository + u":moving"));
        const QString rootfs = m_dir.filePath(u"rootfs.tar"_s);
        QFile tar(rootfs);
        QVERIFY(tar.open(QIODevice::WriteOnly));
        tar.write(tarEntry("hello.txt", '0', "bonjour\n") + tarEnd());
        tar.close();
        const QString imported = u"berth/imported-here:1"_s;
        const CtlRun import = ctl({u"import"_s, rootfs, imported});
        QVERIFY2(import.exitCode == 0, import.err.constData());

        const CtlRun json = ctl({u"outdated"_s, u"--format"_s, u"json"_s});
        QCOMPARE(json.exitCode, 0); // outdated images do not change the exit status
        const QJsonArray rows = QJsonDocument::fromJson(json.out).array();
        const QString busybox = fixtureDigest(u"busybox"_s);
        const QJsonObject upToDate = rowOf(rows, current);
        QCOMPARE(upToDate.value(u"status").toString(), u"up-to-date"_s);
        QCOMPARE(upToDate.value(u"local").toString(), busybox);
        QCOMPARE(upToDate.value(u"remote").toString(), busybox);
        const QJsonObject outdated = rowOf(rows, moving);
        QCOMPARE(outdated.value(u"status").toString(), u"update-available"_s);
        QCOMPARE(outdated.value(u"local").toString(), busybox);
        QCOMPARE(outdated.value(u"remote").toString(), otherDigest);
        const QJsonObject local = rowOf(rows, imported);
        QCOMPARE(local.value(u"status").toString(), u"local-only"_s);
        QVERIFY(local.value(u"local").isNull());
        QVERIFY(local.value(u"remote").isNull());

        const CtlRun table = ctl({u"outdated"_s});
        QCOMPARE(table.exitCode, 0);
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), rows.size() + 1);
        QVERIFY2(lines.first().startsWith("REFERENCE") && lines.first().contains("LOCAL DIGEST")
                     && lines.first().contains("REMOTE DIGEST") && lines.first().contains("STATUS"),
                 lines.first().constData());
        bool sawMoving = false;
        for (const QByteArray &line : lines) {
            if (!line.startsWith(QByteArray(moving.toUtf8() + ' ')))
                continue;
            sawMoving = true;
            QVERIFY2(line.contains(busybox.toUtf8()) && line.contains(otherDigest.toUtf8())
                         && line.endsWith("Update available"),
                     line.constData());
        }
        QVERIFY(sawMoving);
    }

    void usage()
    {
        const CtlRun extra = ctl({u"outdated"_s, u"node:15"_s});
        QCOMPARE(extra.exitCode, 2);
        QVERIFY2(extra.err.contains("outdated takes no arguments"), extra.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBerthctlOutdated)
#include "tst_berthctl_outdated.moc"
