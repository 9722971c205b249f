// The core's folders depend on each other one way only. Each folder's CMakeLists.txt says which
// folders it links (target_link_libraries … berth_<folder>); an #include "<folder>/…" of any other
// core folder is a back edge that would tie two folders together again, and fails here with the
// file and line that adds it.
#include "testpaths.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

const QString coreDir = QStringLiteral(BERTH_SOURCE_DIR "/core");

QStringList coreFolders()
{
    return QDir(coreDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

// The berth_<folder> names in the folder's target_link_libraries(berth_<folder> …) call.
QSet<QString> linkedFolders(const QString &folder)
{
    QFile file(coreDir + u'/' + folder + QStringLiteral("/CMakeLists.txt"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression call(
        QStringLiteral("target_link_libraries\\(\\s*berth_\\w+([^)]*)\\)"));
    static const QRegularExpression library(QStringLiteral("\\bberth_(\\w+)"));
    QSet<QString> folders;
    for (const auto &match : call.globalMatch(text)) {
        for (const auto &name : library.globalMatch(match.captured(1)))
            folders.insert(name.captured(1));
    }
    return folders;
}

} // namespace

class TestLayering : public QObject
{
    Q_OBJECT

private slots:
    void everyFolderHasItsOwnLibrary_data()
    {
        QTest::addColumn<QString>("folder");
        for (const QString &folder : coreFolders())
            QTest::newRow(qPrintable(folder)) << folder;
    }

    void everyFolderHasItsOwnLibrary()
    {
        QFETCH(QString, folder);
        QFile file(coreDir + u'/' + folder + QStringLiteral("/CMakeLists.txt"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QVERIFY(file.readAll().contains(
            QByteArray("add_library(berth_" + folder.toUtf8() + " STATIC")));
    }

    void includesFollowTheLinks_data()
    {
        QTest::addColumn<QString>("folder");
        for (const QString &folder : coreFolders())
            QTest::newRow(qPrintable(folder)) << folder;
    }

    void includesFollowTheLinks()
    {
        QFETCH(QString, folder);
        const QStringList folders = coreFolders();
        const QSet<QString> allowed = linkedFolders(folder);
        static const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s+\"(\\w+)/"));
        QDir dir(coreDir + u'/' + folder);
        const QStringList sources
            = dir.entryList({QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files);
        QVERIFY(!sources.isEmpty());
        for (const QString &name : sources) {
            QFile file(dir.filePath(name));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
            int line = 0;
            while (!file.atEnd()) {
                ++line;
                const auto match = include.match(QString::fromUtf8(file.readLine()));
                const QString target = match.captured(1);
                if (!match.hasMatch() || target == folder || !folders.contains(target))
                    continue;
                QVERIFY2(allowed.contains(target),
                         qPrintable(QStringLiteral(
                                        "core/%1/%2:%3 includes %4/, which berth_%1 does not link")
                                        .arg(folder, name)
                                        .arg(line)
                                        .arg(target)));
            }
        }
    }

    // A link edge is one way: two folders never link each other, directly or through others.
    void linksHaveNoCycle()
    {
        QHash<QString, QSet<QString>> edges;
        for (const QString &folder : coreFolders())
            edges.insert(folder, linkedFolders(folder));
        for (const QString &start : edges.keys()) {
            QSet<QString> seen;
            QStringList pending(edges.value(start).values());
            while (!pending.isEmpty()) {
                const QString next = pending.takeLast();
                QVERIFY2(next != start,
                         qPrintable(QStringLiteral("berth_%1 links itself back").arg(start)));
                if (!seen.contains(next)) {
                    seen.insert(next);
                    pending += edges.value(next).values();
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
