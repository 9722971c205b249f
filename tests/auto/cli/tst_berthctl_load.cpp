// `berthctl load` given a filesystem tar (what `docker export` writes), from a file and on standard
// input: it stops with a message saying what the archive is and which verb takes it, and the
// store stays empty. The embedded store only: no services.
#include "berthctlrunner.h"

#include "archive/archivelayout.h"
#include "archive/tarwriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_BerthctlLoad final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void filesystemTar_data();
    void filesystemTar();
    void filesystemTarJson();

private:
    CtlRun ctl(QStringList arguments, const QByteArray &input = {})
    {
        arguments << u"--backend"_s << u"embedded"_s;
        return runBerthctl(arguments, m_env, input);
    }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QString m_rootfs;
};

void tst_BerthctlLoad::init()
{
    QVERIFY(m_dir.isValid());
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(u"BERTH_STORE"_s, m_dir.filePath(u"store"_s));
    m_rootfs = m_dir.filePath(u"rootfs.tar"_s);
    auto writer = TarWriter::toFile(m_rootfs, Compression::Gzip);
    QVERIFY(writer);
    TarWriter &w = **writer;
    QVERIFY(w.addBytes(u".dockerenv"_s, {}) && w.addDirectory(u"bin"_s)
            && w.addBytes(u"bin/hello"_s, "#!/bin/sh\necho hello\n") && w.addDirectory(u"etc"_s)
            && w.addBytes(u"etc/hostname"_s, "berth\n") && w.finish());
}

void tst_BerthctlLoad::filesystemTar_data()
{
    QTest::addColumn<bool>("stdinput");
    QTest::addColumn<QString>("suggestion");
    QTest::newRow("-i FILE") << false << u"berthctl import %1"_s;
    QTest::newRow("standard input") << true << u"berthctl import -"_s;
}

void tst_BerthctlLoad::filesystemTar()
{
    QFETCH(bool, stdinput);
    QFETCH(QString, suggestion);
    QFile file(m_rootfs);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const CtlRun r
        = stdinput ? ctl({u"load"_s}, file.readAll()) : ctl({u"load"_s, u"-i"_s, m_rootfs});
    const QString err = QString::fromUtf8(r.err);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(err.contains(u"is a filesystem archive"), qPrintable(err));
    const QString expected = stdinput ? suggestion : suggestion.arg(m_rootfs);
    QVERIFY2(err.contains(expected), qPrintable(err));
    const CtlRun images = ctl({u"images"_s, u"--format"_s, u"json"_s});
    QVERIFY2(images.exitCode == 0, images.err.constData());
    QVERIFY(QJsonDocument::fromJson(images.out).object().value(u"images").toArray().isEmpty());
}

void tst_BerthctlLoad::filesystemTarJson()
{
    // Scripts branch on the code; the suggestion is for people only.
    const CtlRun r = ctl({u"load"_s, u"-q"_s, u"-i"_s, m_rootfs, u"--format"_s, u"json"_s});
    QCOMPARE(r.exitCode, 1);
    const QJsonObject error = QJsonDocument::fromJson(r.err).object().value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), QString::fromLatin1(FilesystemArchiveCode));
    QVERIFY(!r.err.contains("berthctl import"));
}

QTEST_GUILESS_MAIN(tst_BerthctlLoad)
#include "tst_berthctl_load.moc"
