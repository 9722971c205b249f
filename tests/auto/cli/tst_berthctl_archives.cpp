// berthctl's archive verbs end to end, as the Docker course Berth's first users follow uses
// docker: `save -o` and `save | load`, `load -i` and `load <`, `export -o` and `export >`,
// `import FILE|-` with -c and -m; the messages and exit codes of bad input.
#include "berthctlrunner.h"
#include "testservices.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

class TestBerthctlArchives final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;

    CtlRun ctl(QStringList arguments, const QByteArray &input = {})
    {
        arguments << u"--backend"_s << u"embedded"_s;
        return runBerthctl(arguments, m_env, input);
    }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    static QString busybox()
    {
        return TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    }
    static QByteArray readFile(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    QString imageId(const QString &name)
    {
        const CtlRun images = ctl({u"images"_s, u"--format"_s, u"json"_s});
        for (const QJsonValue &v :
             QJsonDocument::fromJson(images.out).object().value(u"images").toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(u"repoTags").toArray().contains(name))
                return o.value(u"id").toString();
        }
        return {};
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        QDir(path(u"store"_s)).removeRecursively();
        m_env.insert(u"BERTH_STORE"_s, path(u"store"_s));
    }

    void saveThenLoadThroughPipes()
    {
        const CtlRun pulled = ctl({u"pull"_s, busybox()});
        QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        const QString id = imageId(busybox());
        QVERIFY(!id.isEmpty());

        // docker save IMAGE > file: the archive on stdout, progress (if any) on stderr.
        const CtlRun saved = ctl({u"save"_s, busybox()});
        QVERIFY2(saved.exitCode == 0, saved.err.constData());
        QVERIFY(saved.out.size() > 1000000);
        QVERIFY(saved.out.contains("manifest.json"));

        // rmi, then docker load < file.
        QCOMPARE(ctl({u"rmi"_s, busybox()}).exitCode, 0);
        QVERIFY(imageId(busybox()).isEmpty());
        const CtlRun loaded = ctl({u"load"_s}, saved.out);
        QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
        QCOMPARE(QString::fromUtf8(loaded.out).trimmed(), u"Loaded image: "_s + busybox());
        QCOMPARE(imageId(busybox()), id);
    }

    void saveCompressedByNameAndFlag_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow(".tar.gz") << u"a.tar.gz"_s << QStringList{} << QByteArray("\x1f\x8b");
        QTest::newRow(".tgz") << u"a.tgz"_s << QStringList{} << QByteArray("\x1f\x8b");
        QTest::newRow(".tar.zst") << u"a.tar.zst"_s << QStringList{}
                                  << QByteArray("\x28\xb5\x2f\xfd");
        QTest::newRow("--compress xz") << u"a.img"_s << QStringList{u"--compress"_s, u"xz"_s}
                                       << QByteArray("\xfd"
                                                     "7zXZ");
        QTest::newRow("--compress none")
            << u"a.tar.gz"_s << QStringList{u"--compress"_s, u"none"_s} << QByteArray("oci-layout");
    }

    void saveCompressedByNameAndFlag()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, extra);
        QFETCH(QByteArray, magic);
        QCOMPARE(ctl({u"pull"_s, busybox()}).exitCode, 0);
        const CtlRun saved = ctl(QStringList{u"save"_s, u"-o"_s, path(file), busybox()} + extra);
        QVERIFY2(saved.exitCode == 0, saved.err.constData());
        QVERIFY(readFile(path(file)).startsWith(magic));
        // load recognises the compression by content, whatever the name.
        QDir(path(u"store"_s)).removeRecursively();
        const CtlRun loaded = ctl({u"load"_s, u"-i"_s, path(file), u"--format"_s, u"json"_s});
        QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
        QCOMPARE(QJsonDocument::fromJson(loaded.out).object().value(u"loaded").toArray(),
                 QJsonArray{busybox()});
    }

    void exportThenImport()
    {
        QCOMPARE(ctl({u"pull"_s, busybox()}).exitCode, 0);
        // docker export > rootfs.tar
        const CtlRun exported = ctl({u"export"_s, busybox()});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY(exported.out.size() > 1000000);
        const CtlRun toFile = ctl({u"export"_s, u"-o"_s, path(u"rootfs.tar"_s), busybox()});
        QVERIFY2(toFile.exitCode == 0, toFile.err.constData());
        QCOMPARE(readFile(path(u"rootfs.tar"_s)), exported.out);

        // docker import - name:tag < rootfs.tar, with changes and a message.
        const CtlRun imported = ctl({u"import"_s,
                                     u"-"_s,
                                     u"mon-image:1.0"_s,
                                     u"-c"_s,
                                     u"CMD [\"/bin/sh\"]"_s,
                                     u"--change"_s,
                                     u"WORKDIR /tmp"_s,
                                     u"-m"_s,
                                     u"importée"_s},
                                    exported.out);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QString id = QString::fromUtf8(imported.out).trimmed();
        QVERIFY2(id.startsWith(u"sha256:") && id.size() == 71, qPrintable(id));
        QCOMPARE(imageId(u"mon-image:1.0"_s), id);
        // The image's config, read back by skopeo.
        QProcess skopeo;
        skopeo.start(u"skopeo"_s,
                     {u"inspect"_s,
                      u"--config"_s,
                      u"oci:"_s + path(u"store"_s) + u":docker.io/library/mon-image:1.0"_s});
        QVERIFY(skopeo.waitForFinished(60000));
        const QJsonObject config = QJsonDocument::fromJson(skopeo.readAllStandardOutput()).object();
        QCOMPARE(config.value(u"config").toObject().value(u"Cmd").toArray(),
                 QJsonArray{u"/bin/sh"_s});
        QCOMPARE(config.value(u"config").toObject().value(u"WorkingDir").toString(), u"/tmp"_s);
        QCOMPARE(config.value(u"history").toArray().first().toObject().value(u"comment").toString(),
                 u"importée"_s);
        const CtlRun file = ctl({u"import"_s, path(u"rootfs.tar"_s), u"--format"_s, u"json"_s});
        QVERIFY2(file.exitCode == 0, file.err.constData());
        // Same bytes, same layer, but no name and another creation time: another image.
        const QJsonObject result = QJsonDocument::fromJson(file.out).object();
        QVERIFY(result.value(u"id").toString().startsWith(u"sha256:"));
        QCOMPARE(result.value(u"reference").toString(), QString());
    }

    // A store folder chosen in Berth's Settings is the one berthctl uses; $BERTH_STORE still
    // wins over it.
    void storeFolderFromSettings()
    {
        QVERIFY(QDir().mkpath(path(u"root/etc"_s)) && QDir().mkpath(path(u"config/Berth"_s)));
        QFile hello(path(u"root/etc/hello"_s));
        QVERIFY(hello.open(QIODevice::WriteOnly) && hello.write("hello\n") == 6);
        hello.close();
        QProcess tar;
        tar.start(u"tar"_s, {u"-C"_s, path(u"root"_s), u"-cf"_s, path(u"fs.tar"_s), u"."_s});
        QVERIFY(tar.waitForFinished(60000) && tar.exitCode() == 0);
        QFile conf(path(u"config/Berth/Berth.conf"_s));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[General]\nstorePath=" + path(u"chosen"_s).toUtf8() + '\n');
        conf.close();
        m_env.remove(u"BERTH_STORE"_s);
        m_env.insert(u"HOME"_s, path(u"home"_s));
        m_env.insert(u"XDG_CONFIG_HOME"_s, path(u"config"_s));
        m_env.insert(u"XDG_DATA_HOME"_s, path(u"home/.local/share"_s));

        const CtlRun imported = ctl({u"import"_s, path(u"fs.tar"_s), u"chosen:1.0"_s});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY(QFileInfo::exists(path(u"chosen/index.json"_s)));
        QVERIFY(!QFileInfo::exists(path(u"home/.local/share/Berth/store"_s)));
        QVERIFY(!imageId(u"chosen:1.0"_s).isEmpty());
        m_env.insert(u"BERTH_STORE"_s, path(u"store"_s));
        QCOMPARE(imageId(u"chosen:1.0"_s), QString());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("save unknown image") << QStringList{u"save"_s, u"no/such:image"_s}
                                            << QByteArray() << 1 << u"No such image"_s;
        QTest::newRow("save unknown compression")
            << QStringList{u"save"_s, u"--compress"_s, u"rar"_s, u"x"_s} << QByteArray() << 2
            << u"Unknown compression 'rar'"_s;
        QTest::newRow("save nothing")
            << QStringList{u"save"_s} << QByteArray() << 2 << u"at least one image"_s;
        QTest::newRow("load garbage")
            << QStringList{u"load"_s} << QByteArray("this is not an archive at all, sorry") << 1
            << u"standard input"_s;
        QTest::newRow("load missing file")
            << QStringList{u"load"_s, u"-i"_s, u"/nonexistent/x.tar"_s} << QByteArray() << 1
            << u"/nonexistent/x.tar"_s;
        QTest::newRow("import bad change")
            << QStringList{u"import"_s, u"-"_s, u"-c"_s, u"RUN rm -rf /"_s}
            << QByteArray(1024, '\0') << 1 << u"RUN"_s;
        QTest::newRow("import bad name") << QStringList{u"import"_s, u"-"_s, u"Mon-Image"_s}
                                         << QByteArray(1024, '\0') << 2 << u"lowercase"_s;
        QTest::newRow("import ftp url") << QStringList{u"import"_s, u"ftp://example.org/x.tar"_s}
                                        << QByteArray() << 1 << u"ftp://example.org/x.tar"_s;
        QTest::newRow("export unknown") << QStringList{u"export"_s, u"nothing-here"_s}
                                        << QByteArray() << 1 << u"nothing-here"_s;
    }

    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CtlRun r = ctl(arguments, input);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
        // Nothing was added to the store.
        const CtlRun images = ctl({u"images"_s, u"--format"_s, u"json"_s});
        QCOMPARE(QJsonDocument::fromJson(images.out).object().value(u"images").toArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBerthctlArchives)
#include "tst_berthctl_archives.moc"
