// Where a save or an export writes (core/archive/archiveoutput, outputfile), issue 19: never
// through a symbolic link, whatever it points to, even one that appears while the archive is
// being written; the file the link points to is written when the user names it.
#include "archive/archiveoutput.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Berth;
using namespace Qt::StringLiterals;

class tst_ArchiveOutput final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    static QByteArray readFile(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static bool writeFile(const QString &file, const QByteArray &data)
    {
        QFile f(file);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }
    QStringList entries() const
    {
        return QDir(m_dir.path())
            .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                       QDir::Name);
    }
    static QByteArray messageOf(const Status &status)
    {
        return status ? QByteArray() : status.error().message.toUtf8();
    }
    static Status writeArchive(const QString &file, const std::function<void()> &beforeCommit = {})
    {
        auto out = ArchiveOutput::open(ArchiveTarget::file(file));
        if (!out)
            return fail(out.error());
        if (auto written = (*out)->write("archive", 7); !written)
            return written;
        if (beforeCommit)
            beforeCommit();
        return (*out)->commit();
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        for (const QString &name : entries())
            QVERIFY(QFile::remove(path(name)) || QDir(path(name)).removeRecursively());
        QVERIFY(writeFile(path(u"victim"_s), "precious"));
        QVERIFY(QDir(m_dir.path()).mkdir(u"dir"_s));
    }

    void destination_data()
    {
        QTest::addColumn<QString>("linkTo"); // what the user's name links to; empty: no link
        QTest::addColumn<QString>("name");   // what the user names
        QTest::addColumn<bool>("written");
        QTest::newRow("new file") << QString() << u"new.tar"_s << true;
        QTest::newRow("regular file replaced") << QString() << u"victim"_s << true;
        QTest::newRow("link to a file") << u"victim"_s << u"out.tar"_s << false;
        QTest::newRow("link to a directory") << u"dir"_s << u"out.tar"_s << false;
        QTest::newRow("dangling link") << u"missing.tar"_s << u"out.tar"_s << false;
        QTest::newRow("link to a link") << u"link2"_s << u"out.tar"_s << false;
        QTest::newRow("the link's target named") << u"victim"_s << u"victim"_s << true;
    }

    void destination()
    {
        QFETCH(QString, linkTo);
        QFETCH(QString, name);
        QFETCH(bool, written);
        QVERIFY(QFile::link(path(u"victim"_s), path(u"link2"_s)));
        if (!linkTo.isEmpty())
            QVERIFY(QFile::link(path(linkTo), path(u"out.tar"_s)));
        const QStringList before = entries();

        const Status status = writeArchive(path(name));
        if (written) {
            QVERIFY2(status, messageOf(status).constData());
            QCOMPARE(readFile(path(name)), QByteArray("archive"));
        } else {
            QVERIFY(!status);
            QCOMPARE(status.error().kind, Error::Kind::InvalidArgument);
            QVERIFY2(status.error().message.startsWith(
                         u"'%1' is a symbolic link to '"_s.arg(path(name))),
                     qPrintable(status.error().message));
            QCOMPARE(readFile(path(u"victim"_s)), QByteArray("precious"));
        }
        if (!linkTo.isEmpty())
            QCOMPARE(QFileInfo(path(u"out.tar"_s)).symLinkTarget(), path(linkTo));
        QVERIFY(!QFileInfo::exists(path(u"missing.tar"_s)));
        QVERIFY(QFileInfo(path(u"dir"_s)).isDir());
        QCOMPARE(QDir(path(u"dir"_s)).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList());
        QStringList expected = before;
        if (written && !expected.contains(name)) {
            expected << name;
            expected.sort();
        }
        QCOMPARE(entries(), expected); // no temp file left
    }

    // The message names where the link leads, so the user can name that instead.
    void refusalNamesTheTarget()
    {
        QVERIFY(QFile::link(path(u"victim"_s), path(u"out.tar"_s)));
        const Status status = writeArchive(path(u"out.tar"_s));
        QVERIFY(!status);
        QVERIFY2(status.error().message.contains(u"'%1' is a symbolic link to '%2'"_s.arg(
                     path(u"out.tar"_s), path(u"victim"_s))),
                 qPrintable(status.error().message));
    }

    // A link put at the name while the archive is written is refused at commit: its target keeps
    // its content and the temp file goes.
    void linkAppearingBeforeCommitRefused()
    {
        const QStringList before = entries();
        const Status status = writeArchive(
            path(u"out.tar"_s), [this] { QFile::link(path(u"victim"_s), path(u"out.tar"_s)); });
        QVERIFY(!status);
        QCOMPARE(status.error().kind, Error::Kind::InvalidArgument);
        QCOMPARE(readFile(path(u"victim"_s)), QByteArray("precious"));
        QCOMPARE(QFileInfo(path(u"out.tar"_s)).symLinkTarget(), path(u"victim"_s));
        QStringList expected = before;
        expected << u"out.tar"_s;
        expected.sort();
        QCOMPARE(entries(), expected);
    }

    // Replacing a file keeps its permissions; a new one gets the umask's.
    void permissionsKept()
    {
        QVERIFY(QFile::setPermissions(path(u"victim"_s),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                          | QFileDevice::ReadGroup));
        const Status status = writeArchive(path(u"victim"_s));
        QVERIFY2(status, messageOf(status).constData());
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(path(u"victim"_s)).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
    }

    // A device is no file to replace: written in place (docker save -o /dev/null).
    void deviceWrittenInPlace()
    {
        const Status status = writeArchive(u"/dev/null"_s);
        QVERIFY2(status, messageOf(status).constData());
        QVERIFY(!QFileInfo(u"/dev/null"_s).isFile());
        struct stat st = {};
        QCOMPARE(::stat("/dev/null", &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));
    }

    // The process's own descriptors by name (`save -o /dev/stdout > x.tar`) are the user's
    // redirection, not a planted link: written through the descriptor.
    void ownDescriptorWritten_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::newRow("/dev/fd") << u"/dev/fd/"_s;
        QTest::newRow("/proc/self/fd") << u"/proc/self/fd/"_s;
    }
    void ownDescriptorWritten()
    {
        QFETCH(QString, prefix);
        int pipeEnds[2];
        QCOMPARE(::pipe(pipeEnds), 0);
        const Status status = writeArchive(prefix + QString::number(pipeEnds[1]));
        ::close(pipeEnds[1]);
        char buffer[16] = {};
        const ssize_t n = ::read(pipeEnds[0], buffer, sizeof buffer);
        ::close(pipeEnds[0]);
        QVERIFY2(status, messageOf(status).constData());
        QCOMPARE(QByteArray(buffer, int(std::max<ssize_t>(n, 0))), QByteArray("archive"));
        QCOMPARE(readFile(path(u"victim"_s)), QByteArray("precious"));
    }
};

QTEST_GUILESS_MAIN(tst_ArchiveOutput)
#include "tst_archiveoutput.moc"
