// The cache of layer indexes (core/contents/layerindexcache): one file per diff_id, a hit touches
// its file, trim() evicts the least recently used first and spares the layers it is told to keep,
// a damaged file is removed and answered as a miss, and two processes sharing the directory (the
// GUI and berthctl) neither damage nor lose each other's files. The second process is this
// executable started again in a child mode. No services.

#include "common/sha256.h"
#include "contents/indexfile.h"
#include "contents/layerindexcache.h"

#include "testhelpers.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

const char ChildVariable[] = "BERTH_TEST_LAYER_INDEX_CACHE_CHILD";
constexpr int SharedLayers = 40;

Digest digestOf(const QByteArray &seed)
{
    return BerthTest::parseDigest(Sha256::digestOf(seed));
}

// An index of `entries` files at the cache's place for `diffId`, written as the indexer does.
Status writeIndex(const LayerIndexCache &cache, const Digest &diffId, int entries = 10)
{
    auto writer = IndexWriter::create(cache.pathFor(diffId), IndexWriter::Order::Any);
    if (!writer)
        return fail(writer.error());
    for (int i = 0; i < entries; ++i) {
        ContentsEntry e;
        e.path = "dir/file" + QByteArray::number(i);
        e.size = i;
        if (Status s = (*writer)->add(e); !s)
            return s;
    }
    return (*writer)->finish({{u"diffId"_s, diffId.toString()}});
}

bool setUsed(const QString &path, const QDateTime &when)
{
    QFile f(path);
    return f.open(QIODevice::ReadWrite) && f.setFileTime(when, QFileDevice::FileModificationTime);
}

// Both processes write, open and trim the same layers at once.
int shareCache(const QString &directory)
{
    LayerIndexCache cache(directory, 1 << 20);
    int failures = 0;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < SharedLayers; ++i) {
            const Digest d = digestOf(QByteArray::number(i));
            if (!cache.open(d) && !writeIndex(cache, d, 50 + i))
                ++failures;
            cache.trim({d});
        }
    }
    return failures;
}

} // namespace

class tst_LayerIndexCache : public QObject
{
    Q_OBJECT

private slots:
    void layout();
    void hitAndMiss();
    void damagedFileIsAMiss_data();
    void damagedFileIsAMiss();
    void trim_data();
    void trim();
    void hitIsRecentlyUsed();
    void evictedWhileOpen();
    void staleTemporariesRemoved();
    void twoProcesses();
};

void tst_LayerIndexCache::layout()
{
    const Digest d = digestOf("layer");
    LayerIndexCache cache(u"/somewhere/cache"_s, 1000);
    QCOMPARE(cache.pathFor(d), u"/somewhere/cache/sha256/"_s + d.encoded() + u".idx"_s);
    QCOMPARE(cache.maxBytes(), 1000);
    QVERIFY(LayerIndexCache::defaultDirectory().endsWith(u"/berth/layer-index"_s));
}

void tst_LayerIndexCache::hitAndMiss()
{
    QTemporaryDir dir;
    LayerIndexCache cache(dir.path());
    const Digest d = digestOf("a");
    QVERIFY(!cache.contains(d));
    QVERIFY(!cache.open(d));
    QVERIFY(!cache.open(Digest()));
    VERIFY_OK(writeIndex(cache, d, 7));
    QVERIFY(cache.contains(d));
    QVERIFY(!cache.contains(digestOf("b")));
    auto index = cache.open(d);
    QVERIFY(index);
    QCOMPARE(index->meta().value(u"diffId"_s).toString(), d.toString());
    QCOMPARE(index->count(), 7 + 1); // and the implicit "dir"
    QCOMPARE(cache.sizeOnDisk(), QFileInfo(cache.pathFor(d)).size());
}

void tst_LayerIndexCache::damagedFileIsAMiss_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("truncate"); // keep the first half of the index instead
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("not an index") << QByteArray("just some text\n").repeated(100) << false;
    QTest::newRow("truncated") << QByteArray() << true;
}

void tst_LayerIndexCache::damagedFileIsAMiss()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, truncate);
    QTemporaryDir dir;
    LayerIndexCache cache(dir.path());
    const Digest d = digestOf("damaged");
    VERIFY_OK(writeIndex(cache, d, 100));
    QFile f(cache.pathFor(d));
    QVERIFY(f.open(QIODevice::ReadWrite));
    if (truncate)
        content = f.readAll().first(f.size() / 2);
    QVERIFY(f.resize(0));
    QCOMPARE(f.write(content), content.size());
    f.close();
    QVERIFY(!cache.open(d));
    QVERIFY(!QFileInfo::exists(cache.pathFor(d)));
    QVERIFY(!cache.contains(d));
}

void tst_LayerIndexCache::trim_data()
{
    QTest::addColumn<int>("fitting");     // how many of the four files maxBytes holds
    QTest::addColumn<QList<int>>("keep"); // indexes of the files spared, 0 the oldest
    QTest::addColumn<QList<int>>("left");
    QTest::newRow("all fit") << 4 << QList<int>() << QList<int>{0, 1, 2, 3};
    QTest::newRow("oldest go first") << 2 << QList<int>() << QList<int>{2, 3};
    QTest::newRow("oldest kept") << 2 << QList<int>{0} << QList<int>{0, 3};
    QTest::newRow("two oldest kept") << 2 << QList<int>{0, 1} << QList<int>{0, 1};
    QTest::newRow("kept beyond the limit") << 1 << QList<int>{1, 2} << QList<int>{1, 2};
    QTest::newRow("nothing fits") << 0 << QList<int>() << QList<int>();
}

void tst_LayerIndexCache::trim()
{
    QFETCH(int, fitting);
    QFETCH(QList<int>, keep);
    QFETCH(QList<int>, left);

    QTemporaryDir dir;
    QList<Digest> layers;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    LayerIndexCache writing(dir.path());
    for (int i = 0; i < 4; ++i) {
        layers << digestOf(QByteArray::number(i));
        VERIFY_OK(writeIndex(writing, layers.last()));
        QVERIFY(setUsed(writing.pathFor(layers.last()), now.addSecs(-3600 + i * 60)));
    }
    const qint64 fileSize = QFileInfo(writing.pathFor(layers.first())).size();
    QCOMPARE(writing.sizeOnDisk(), 4 * fileSize);

    LayerIndexCache cache(dir.path(), fitting * fileSize);
    QList<Digest> spared;
    for (int i : keep)
        spared << layers.at(i);
    cache.trim(spared);
    QList<int> remaining;
    for (int i = 0; i < 4; ++i)
        if (cache.contains(layers.at(i)))
            remaining << i;
    QCOMPARE(remaining, left);
    QCOMPARE(cache.sizeOnDisk(), left.size() * fileSize);
}

// open() touches the file: the layer just looked at is the last to go.
void tst_LayerIndexCache::hitIsRecentlyUsed()
{
    QTemporaryDir dir;
    LayerIndexCache cache(dir.path());
    const QDateTime past = QDateTime::currentDateTimeUtc().addDays(-2);
    const Digest old = digestOf("old");
    const Digest newer = digestOf("newer");
    VERIFY_OK(writeIndex(cache, old));
    VERIFY_OK(writeIndex(cache, newer));
    QVERIFY(setUsed(cache.pathFor(old), past));
    QVERIFY(setUsed(cache.pathFor(newer), past.addSecs(60)));
    QVERIFY(cache.open(old));
    QVERIFY(QFileInfo(cache.pathFor(old)).lastModified() > past.addSecs(60));
    LayerIndexCache small(dir.path(), QFileInfo(cache.pathFor(old)).size());
    small.trim();
    QVERIFY(small.contains(old));
    QVERIFY(!small.contains(newer));
}

// Another process evicts a file this one has open: the mapping still reads.
void tst_LayerIndexCache::evictedWhileOpen()
{
    QTemporaryDir dir;
    LayerIndexCache cache(dir.path());
    const Digest d = digestOf("open");
    VERIFY_OK(writeIndex(cache, d, 20));
    auto index = cache.open(d);
    QVERIFY(index);
    LayerIndexCache(dir.path(), 0).trim();
    QVERIFY(!cache.contains(d));
    QCOMPARE(index->count(), 21);
    QCOMPARE(index->path(index->find("dir/file19")), QByteArrayView("dir/file19"));
}

// A writer that died leaves its temporary files: old ones go with the next trim, a live
// writer's stay.
void tst_LayerIndexCache::staleTemporariesRemoved()
{
    QTemporaryDir dir;
    LayerIndexCache cache(dir.path(), 0);
    VERIFY_OK(writeIndex(cache, digestOf("x")));
    const QString folder = QFileInfo(cache.pathFor(digestOf("x"))).path();
    const QString stale = folder + u"/abc.idx.Xy12Zw.part"_s;
    const QString live = folder + u"/def.idx.Ab34Cd.heap"_s;
    for (const QString &path : {stale, live}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("partial");
    }
    QVERIFY(setUsed(stale, QDateTime::currentDateTimeUtc().addDays(-1)));
    cache.trim();
    QVERIFY(!QFileInfo::exists(stale));
    QVERIFY(QFileInfo::exists(live));
    QCOMPARE(cache.sizeOnDisk(), 0);
}

// The GUI and berthctl at once: each writes, opens and trims the same layers. Neither fails,
// and every file left is a whole index.
void tst_LayerIndexCache::twoProcesses()
{
    QTemporaryDir dir;
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(ChildVariable), dir.path());
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());
    QCOMPARE(shareCache(dir.path()), 0);
    QVERIFY(child.waitForFinished(120000));
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);

    LayerIndexCache cache(dir.path(), 1 << 20);
    int present = 0;
    for (int i = 0; i < SharedLayers; ++i) {
        const Digest d = digestOf(QByteArray::number(i));
        if (!cache.contains(d))
            continue;
        ++present;
        auto index = IndexFile::open(cache.pathFor(d));
        VERIFY_OK(index);
        QCOMPARE(index->meta().value(u"diffId"_s).toString(), d.toString());
    }
    QVERIFY(present > 0);
    QCOMPARE(QDir(dir.path() + u"/sha256"_s).entryList({u"*.part"_s, u"*.heap"_s}, QDir::Files),
             QStringList());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(ChildVariable))
        return shareCache(qEnvironmentVariable(ChildVariable)) == 0 ? 0 : 1;
    tst_LayerIndexCache test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_layerindexcache.moc"
