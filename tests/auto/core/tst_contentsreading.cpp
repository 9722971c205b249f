// Reading and copying files out of an image (core/imagefiles/contentsreading): only the topmost
// layer that holds a file is fetched, and only up to the file; symbolic links are followed in the
// image; hard links get their target's content; a folder copy brings the merged tree's folders,
// links and files with their modes, each layer read once; devices are skipped; cancel stops it.
// The layers are real tar blobs in a temporary folder behind a small ContentsSource of this
// test's own (the registry, archive and backend sources are tested with the services), their
// indexes made with IndexWriter and merged with mergeLayers. No services.

#include "archive/tarreader.h"
#include "common/sha256.h"
#include "contents/indexfile.h"
#include "contents/layerindexcache.h"
#include "imagefiles/contentsreading.h"
#include "testhelpers.h"
#include "testlayers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/stat.h>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Layer blobs from files, sent in 64 KiB pieces on the caller's thread after the call returns;
// what was asked for and how much of each layer went out are recorded.
class BlobFilesSource final : public ContentsSource
{
public:
    QStringList files; // a blob per layer, bottom first
    QList<int> fetched;
    QHash<int, qint64> sent;
    std::optional<ContentsImage> image; // what describe() answers (readImageFile asks)

    QString displayName() const override { return u"test image"_s; }
    void describe(Callback<ContentsImage> done) override
    {
        if (image)
            return done(*image);
        done(fail(Error::Kind::Unsupported, u"not needed here"_s));
    }
    void fetchLayers(const QList<int> &layers,
                     std::function<BlobSink *(int)> sinkFor,
                     FetchOptions options,
                     std::function<void(Status)> done) override
    {
        QTimer::singleShot(0, [=, this] { done(send(layers, sinkFor, options)); });
    }

private:
    Status send(const QList<int> &layers,
                const std::function<BlobSink *(int)> &sinkFor,
                const FetchOptions &options)
    {
        qint64 total = 0;
        for (int layer : layers)
            total += QFileInfo(files.at(layer)).size();
        qint64 progress = 0;
        for (int layer : layers) {
            fetched.append(layer);
            QFile file(files.at(layer));
            if (!file.open(QIODevice::ReadOnly))
                return fail(Error::Kind::Io, file.errorString());
            while (!file.atEnd()) {
                if (options.cancel.isCancelled())
                    return fail(Error::Kind::Cancelled, u"Cancelled."_s);
                const QByteArray piece = file.read(65536);
                if (Status s = sinkFor(layer)->write(piece); !s)
                    return s;
                sent[layer] += piece.size();
                progress += piece.size();
                if (options.progress)
                    options.progress(progress, total);
            }
        }
        return {};
    }
};

ContentsEntry indexEntry(const LayerItem &item)
{
    ContentsEntry e;
    e.path = item.name;
    e.type = item.type;
    e.mode = quint32(item.mode);
    e.mtime = item.mtime;
    if (item.type == ContentsEntry::Type::File)
        e.size = item.data.size();
    if (item.type == ContentsEntry::Type::Symlink || item.type == ContentsEntry::Type::HardLink)
        e.linkTarget = item.link;
    const QByteArrayView base = baseName(item.name);
    if (base.startsWith(".wh.")) {
        e.type = ContentsEntry::Type::Whiteout;
        const QByteArrayView dir = parentPath(item.name);
        e.path = (dir.isEmpty() ? QByteArray() : dir.toByteArray() + '/') + base.sliced(4);
    }
    return e;
}

// bin/tool and the big file come before etc/ in layer 0, so that reading etc/os-release stops
// after them; data/big makes a layer large enough that an early stop shows.
QList<QList<LayerItem>> sampleImage()
{
    return {
        {dirItem("bin"),
         fileItem("bin/tool", "tool v0\n", 0755),
         fileItem("bin/setuid", "s", 04755),
         dirItem("lib", 0750),
         fileItem("lib/a", "content of a\n"),
         hardLinkItem("lib/hard", "lib/a"),
         fileItem("lib/only-linked", "linked content\n"),
         hardLinkItem("lib/link-to-replaced", "lib/only-linked"),
         deviceItem("lib/null"),
         dirItem("data"),
         fileItem("data/big", randomBytes(12 << 20, 5)),
         dirItem("etc"),
         fileItem("etc/os-release", "v1\n")},
        {dirItem("etc", 0711),
         fileItem("etc/os-release", "v2\n", 0600),
         symlinkItem("current", "etc/os-release"),
         symlinkItem("absolute", "/etc/os-release"),
         symlinkItem("etc-link", "../etc"),
         fileItem("lib/only-linked", "replaced in layer 1\n"),
         fileItem("bin/.wh.setuid", {})},
        {fileItem("top", "on top\n")},
    };
}

struct Image
{
    std::unique_ptr<QTemporaryDir> dir;
    std::shared_ptr<BlobFilesSource> source;
    std::shared_ptr<LoadedContents> contents;
};

Image buildImage(const QList<QList<LayerItem>> &layers)
{
    Image image;
    image.dir = std::make_unique<QTemporaryDir>();
    image.source = std::make_shared<BlobFilesSource>();
    image.contents = std::make_shared<LoadedContents>();
    image.contents->image.name = u"test:1"_s;
    QList<const IndexFile *> indexes;
    for (qsizetype i = 0; i < layers.size(); ++i) {
        const QByteArray blob = layerBlob(layers.at(i), LayerFilter::Gzip);
        const QString blobPath = image.dir->filePath(u"layer%1.tar.gz"_s.arg(i));
        QFile f(blobPath);
        if (!f.open(QIODevice::WriteOnly) || f.write(blob) != blob.size())
            qFatal("cannot write %s", qPrintable(blobPath));
        f.close();
        image.source->files.append(blobPath);
        ContentsLayer layer;
        layer.blob.digest = parseDigest(Sha256::digestOf(blob));
        layer.blob.size = blob.size();
        layer.diffId = parseDigest(Sha256::digestOf(layerBlob(layers.at(i), LayerFilter::None)));
        image.contents->image.layers.append(layer);
        const QString indexPath = image.dir->filePath(u"layer%1.idx"_s.arg(i));
        auto writer = IndexWriter::create(indexPath, IndexWriter::Order::Any);
        for (const LayerItem &item : layers.at(i))
            if (!writer || !(*writer)->add(indexEntry(item)))
                qFatal("cannot index layer %lld", qint64(i));
        if (!(*writer)->finish({}))
            qFatal("cannot finish index %lld", qint64(i));
        image.contents->layers.push_back(std::make_shared<IndexFile>(*IndexFile::open(indexPath)));
        indexes.append(image.contents->layers.back().get());
    }
    const QString treePath = image.dir->filePath(u"tree.idx"_s);
    if (!mergeLayers(indexes, treePath))
        qFatal("cannot merge");
    image.contents->tree = std::make_shared<IndexFile>(*IndexFile::open(treePath));
    image.source->image = image.contents->image;
    return image;
}

// Runs readFile or copyOut to its end on this thread's event loop.
template<typename Operation>
Status runToEnd(Operation operation)
{
    std::optional<Status> result;
    operation([&result](Status s) { result = std::move(s); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 60000))
        return fail(Error::Kind::Io, u"no answer in 60 s"_s);
    return *result;
}

Status
readInto(const Image &image, const QByteArray &path, QByteArray &out, ReadOptions options = {})
{
    auto target = std::shared_ptr<ExtractTarget>(streamTarget([&out](QByteArrayView data) {
        out.append(data);
        return Status();
    }));
    return runToEnd([&](std::function<void(Status)> done) {
        readFile(image.source, image.contents, path, target, options, std::move(done));
    });
}

Status copyInto(const Image &image, const QByteArray &path, std::shared_ptr<ExtractTarget> target)
{
    return runToEnd([&](std::function<void(Status)> done) {
        copyOut(image.source, image.contents, path, target, {}, std::move(done));
    });
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

struct stat lstatOf(const QString &path)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        st.st_mode = 0;
    return st;
}

} // namespace

class TestContentsReading : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readFile_data();
    void readFile();
    void readFileRefuses_data();
    void readFileRefuses();
    void copyFolder();
    void copyEverything();
    void copyOneLink();
    void copyToTar();
    void cancelStops();
    void layerWithoutTheFileNamed();
    void readImageFileFromTheTop_data();
    void readImageFileFromTheTop();

private:
    Image m_image;
};

void TestContentsReading::initTestCase()
{
    m_image = buildImage(sampleImage());
}

void TestContentsReading::readFile_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("layer"); // the one layer fetched
    QTest::newRow("replaced in layer 1") << QByteArray("etc/os-release") << QByteArray("v2\n") << 1;
    QTest::newRow("only in layer 0") << QByteArray("bin/tool") << QByteArray("tool v0\n") << 0;
    QTest::newRow("top layer") << QByteArray("top") << QByteArray("on top\n") << 2;
    QTest::newRow("relative symlink") << QByteArray("current") << QByteArray("v2\n") << 1;
    QTest::newRow("absolute symlink") << QByteArray("absolute") << QByteArray("v2\n") << 1;
    QTest::newRow("through a folder link")
        << QByteArray("etc-link/os-release") << QByteArray("v2\n") << 1;
    QTest::newRow("hard link") << QByteArray("lib/hard") << QByteArray("content of a\n") << 0;
    QTest::newRow("hard link to a path replaced later")
        << QByteArray("lib/link-to-replaced") << QByteArray("linked content\n") << 0;
}

void TestContentsReading::readFile()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, content);
    QFETCH(int, layer);
    m_image.source->fetched.clear();
    m_image.source->sent.clear();
    QByteArray out;
    QList<qint64> progress;
    ReadOptions options;
    options.progress = [&progress](qint64 done, qint64 total) {
        progress << done << total;
    };
    VERIFY_OK(readInto(m_image, path, out, options));
    QCOMPARE(out, content);
    QCOMPARE(m_image.source->fetched, QList<int>{layer});
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), m_image.contents->image.layers.at(layer).blob.size);
    // Layer 0's wanted files all come before its 12 MiB file: the stream stopped short of it.
    if (layer == 0)
        QVERIFY2(m_image.source->sent.value(0) < m_image.contents->image.layers.at(0).blob.size / 2,
                 qPrintable(u"sent %1 bytes"_s.arg(m_image.source->sent.value(0))));
}

void TestContentsReading::readFileRefuses_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("kind");
    QTest::newRow("missing") << QByteArray("etc/shadow") << int(Error::Kind::NotFound);
    QTest::newRow("whited out") << QByteArray("bin/setuid") << int(Error::Kind::NotFound);
    QTest::newRow("a folder") << QByteArray("etc") << int(Error::Kind::InvalidArgument);
    QTest::newRow("the root") << QByteArray("/") << int(Error::Kind::InvalidArgument);
    QTest::newRow("a device") << QByteArray("lib/null") << int(Error::Kind::InvalidArgument);
}

void TestContentsReading::readFileRefuses()
{
    QFETCH(QByteArray, path);
    QFETCH(int, kind);
    m_image.source->fetched.clear();
    QByteArray out;
    const Status s = readInto(m_image, path, out);
    QVERIFY(!s);
    QCOMPARE(int(s.error().kind), kind);
    QVERIFY2(s.error().message.contains(QString::fromUtf8(path.startsWith('/') ? "" : path)),
             qPrintable(s.error().message));
    QVERIFY(m_image.source->fetched.isEmpty());
}

// "etc" gives "etc/…" below the destination, from the merged tree: layer 1's file and mode.
void TestContentsReading::copyFolder()
{
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    m_image.source->fetched.clear();
    VERIFY_OK(copyInto(m_image, "etc", std::move(*target)));
    QCOMPARE(QDir(dest.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{u"etc"_s});
    QCOMPARE(readAll(dest.filePath(u"etc/os-release"_s)), "v2\n");
    QCOMPARE(lstatOf(dest.filePath(u"etc/os-release"_s)).st_mode & 07777, 0600u);
    QCOMPARE(lstatOf(dest.filePath(u"etc"_s)).st_mode & 07777, 0711u);
    QCOMPARE(m_image.source->fetched, QList<int>{1});
}

void TestContentsReading::copyEverything()
{
    QTemporaryDir dest;
    auto made = directoryTarget(dest.path());
    VERIFY_OK(made);
    std::shared_ptr<ExtractTarget> target = std::move(*made);
    m_image.source->fetched.clear();
    VERIFY_OK(copyInto(m_image, "", target));
    QList<int> fetched = m_image.source->fetched;
    std::sort(fetched.begin(), fetched.end());
    QCOMPARE(fetched, (QList<int>{0, 1, 2})); // each once
    QCOMPARE(readAll(dest.filePath(u"bin/tool"_s)), "tool v0\n");
    QVERIFY(!QFileInfo::exists(dest.filePath(u"bin/setuid"_s))); // whited out
    QCOMPARE(readAll(dest.filePath(u"top"_s)), "on top\n");
    QCOMPARE(readAll(dest.filePath(u"lib/only-linked"_s)), "replaced in layer 1\n");
    QCOMPARE(readAll(dest.filePath(u"lib/link-to-replaced"_s)), "linked content\n");
    QCOMPARE(lstatOf(dest.filePath(u"lib/hard"_s)).st_ino,
             lstatOf(dest.filePath(u"lib/a"_s)).st_ino);
    QCOMPARE(QFile::symLinkTarget(dest.filePath(u"current"_s)), dest.filePath(u"etc/os-release"_s));
    QVERIFY(S_ISLNK(lstatOf(dest.filePath(u"absolute"_s)).st_mode));
    QCOMPARE(lstatOf(dest.filePath(u"lib"_s)).st_mode & 07777, 0750u);
    QCOMPARE(lstatOf(dest.filePath(u"bin/tool"_s)).st_mode & 07777, 0755u);
    QCOMPARE(qint64(lstatOf(dest.filePath(u"bin/tool"_s)).st_mtime), qint64(1700000000));
    QVERIFY(!QFileInfo::exists(dest.filePath(u"lib/null"_s)));
    QCOMPARE(target->skipped(), qint64(1));
    QCOMPARE(QFileInfo(dest.filePath(u"data/big"_s)).size(), qint64(12 << 20));
}

// A hard link copied without its target: the target's content under the link's name.
void TestContentsReading::copyOneLink()
{
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    VERIFY_OK(copyInto(m_image, "lib/hard", std::move(*target)));
    QCOMPARE(QDir(dest.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{u"hard"_s});
    QCOMPARE(readAll(dest.filePath(u"hard"_s)), "content of a\n");
}

void TestContentsReading::copyToTar()
{
    QTemporaryDir dest;
    const QString tarPath = dest.filePath(u"lib.tar"_s);
    auto target = tarTarget(ArchiveTarget::file(tarPath), Compression::None);
    VERIFY_OK(target);
    VERIFY_OK(copyInto(m_image, "lib", std::move(*target)));
    auto reader = TarReader::openFile(tarPath);
    VERIFY_OK(reader);
    QStringList names;
    for (;;) {
        auto next = (*reader)->next();
        VERIFY_OK(next);
        if (!*next)
            break;
        names << (*reader)->entry().path + u' ' + (*reader)->entry().typeName();
    }
    names.sort();
    QCOMPARE(names,
             (QStringList{u"lib/ directory"_s,
                          u"lib/a regular file"_s,
                          u"lib/hard hard link"_s,
                          u"lib/link-to-replaced regular file"_s,
                          u"lib/null character device"_s,
                          u"lib/only-linked regular file"_s}));
}

void TestContentsReading::cancelStops()
{
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    ReadOptions options;
    options.progress = [cancel = options.cancel](qint64, qint64) {
        cancel.cancel();
    };
    const Status s = runToEnd([&](std::function<void(Status)> done) {
        copyOut(m_image.source, m_image.contents, "", std::move(*target), options, std::move(done));
    });
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Cancelled);
    QVERIFY(!QFileInfo::exists(dest.filePath(u"data/big"_s))
            || QFileInfo(dest.filePath(u"data/big"_s)).size() < qint64(12 << 20));
}

// The index says the layer holds the file, the blob does not (a layer replaced under its
// digest, a damaged cache): NotFound names the file and the layer.
void TestContentsReading::layerWithoutTheFileNamed()
{
    const Image image = buildImage({{fileItem("etc/motd", "hello\n")}});
    QFile blob(image.source->files.at(0));
    QVERIFY(blob.open(QIODevice::WriteOnly | QIODevice::Truncate));
    blob.write(layerBlob({fileItem("etc/other", "x")}, LayerFilter::Gzip));
    blob.close();
    QByteArray out;
    const Status s = readInto(image, "etc/motd", out);
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::NotFound);
    QVERIFY2(s.error().message.contains(u"etc/motd"_s) && s.error().message.contains(u"Layer 1"_s),
             qPrintable(s.error().message));
    QVERIFY(out.isEmpty());
}

QTEST_GUILESS_MAIN(TestContentsReading)
// An image not loaded yet, an empty cache: layers are indexed from the top down only until one
// settles the path; a path behind a link or a whiteout falls back to the whole tree.
void TestContentsReading::readImageFileFromTheTop_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("content"); // empty: NotFound expected
    QTest::addColumn<QList<int>>("fetched"); // in order: indexing, then reading
    QTest::newRow("top layer") << QByteArray("top") << QByteArray("on top\n") << QList<int>{2, 2};
    QTest::newRow("replaced in layer 1")
        << QByteArray("etc/os-release") << QByteArray("v2\n") << QList<int>{2, 1, 1};
    QTest::newRow("under a folder layer 1 only implies")
        << QByteArray("bin/tool") << QByteArray("tool v0\n") << QList<int>{2, 1, 0, 0};
    QTest::newRow("a symbolic link: the whole tree")
        << QByteArray("current") << QByteArray("v2\n") << QList<int>{2, 1, 0, 1};
    QTest::newRow("whited out: the whole tree says so")
        << QByteArray("bin/setuid") << QByteArray() << QList<int>{2, 1, 0};
}

void TestContentsReading::readImageFileFromTheTop()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, content);
    QFETCH(QList<int>, fetched);
    QTemporaryDir cacheDir;
    auto cache = std::make_shared<LayerIndexCache>(cacheDir.path());
    m_image.source->fetched.clear();
    QByteArray out;
    auto target = std::shared_ptr<ExtractTarget>(streamTarget([&out](QByteArrayView data) {
        out.append(data);
        return Status();
    }));
    const Status read = runToEnd([&](std::function<void(Status)> done) {
        readImageFile(m_image.source, cache, path, target, {}, std::move(done));
    });
    if (content.isEmpty()) {
        QVERIFY(!read);
        QCOMPARE(read.error().kind, Error::Kind::NotFound);
    } else {
        VERIFY_OK(read);
        QCOMPARE(out, content);
    }
    QCOMPARE(m_image.source->fetched, fetched);
}

#include "tst_contentsreading.moc"
