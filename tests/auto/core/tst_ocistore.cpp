// The embedded store's on-disk layout (core/store/ocilayout): the OCI layout files, blob writes
// that appear only whole, index updates that never lose another writer's tag (threads of this
// process and a child process on one store), fsck and prune. No services needed.

#include "testhelpers.h"

#include "common/sha256.h"
#include "oci/bloblease.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Evaluates its argument once: many of the calls checked here write.
Digest digestOf(const QByteArray &data)
{
    return *Digest::parse(Sha256::digestOf(data));
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// A one-layer image written into the store; answers the manifest descriptor.
struct FakeImage
{
    Descriptor manifest;
    Digest config;
    Digest layer;
};

FakeImage writeImage(const OciStore &store, const QString &label)
{
    FakeImage image;
    const QByteArray config
        = QJsonDocument(
              QJsonObject{{u"architecture"_s, u"amd64"_s},
                          {u"os"_s, u"linux"_s},
                          {u"config"_s, QJsonObject{{u"Labels"_s, QJsonObject{{u"x"_s, label}}}}},
                          {u"rootfs"_s,
                           QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray()}}}})
              .toJson(QJsonDocument::Compact);
    const QByteArray layer = randomBytes(4096);
    ImageManifest m;
    m.mediaType = QString::fromLatin1(MediaType::OciManifest);
    m.config = Descriptor{QString::fromLatin1(MediaType::OciConfig),
                          *store.writeBlob(config),
                          config.size(),
                          {},
                          {},
                          {}};
    m.layers = {Descriptor{QString::fromLatin1(MediaType::OciLayerGzip),
                           *store.writeBlob(layer),
                           layer.size(),
                           {},
                           {},
                           {}}};
    const QByteArray body = toJson(m);
    image.manifest = Descriptor{m.mediaType, *store.writeBlob(body), body.size(), {}, {}, {}};
    image.config = m.config.digest;
    image.layer = m.layers.first().digest;
    return image;
}

Status setTag(const OciStore &store, const Descriptor &manifest, const QString &refName)
{
    return store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        entries.removeIf([&](const OciIndexEntry &e) { return e.refName() == refName; });
        Descriptor d = manifest;
        if (!refName.isEmpty())
            d.annotations.insert(QLatin1String(RefNameAnnotation), refName);
        entries.append(OciIndexEntry{d});
        return {};
    });
}

QSet<QString> refNames(const OciStore &store)
{
    QSet<QString> names;
    if (auto entries = store.readIndex()) {
        for (const OciIndexEntry &e : *entries)
            names.insert(e.refName());
    }
    return names;
}

QStringList blobFiles(const QString &storePath)
{
    return QDir(storePath + u"/blobs/sha256").entryList(QDir::Files | QDir::Hidden);
}

constexpr int TagsPerWriter = 40;

// The child process: tags one image TagsPerWriter times into the store named in the environment.
int childMain()
{
    const OciStore store(qEnvironmentVariable("TST_OCISTORE_CHILD"));
    const FakeImage image = writeImage(store, u"child"_s);
    for (int i = 0; i < TagsPerWriter; ++i) {
        if (!setTag(store, image.manifest, u"example.com/child:%1"_s.arg(i)))
            return 1;
    }
    return 0;
}

} // namespace

class tst_OciStore final : public QObject
{
    Q_OBJECT

private slots:
    void layoutFiles();
    void defaultPathFromEnvironment();
    void defaultPathIsXdg();
    void blobWriteAndRead();
    void uncommittedWriterLeavesNothing();
    void commitRefusesWrongSize();
    void readBlobDetectsDamage();
    void failedIndexChangeKeepsIndex();
    void concurrentWriters();
    void childProcessWriter();
    void lockIsReleased();
    void fsckClean();
    void fsckCorruptBlob();
    void fsckMissingBlob();
    void fsckTempFiles();
    void prune();
    void pruneAll();
    void discardBlobs();
    void blobSources();
    void staleSaveFilesRemoved_data();
    void staleSaveFilesRemoved();
    void symlinkInStoreRefused_data();
    void symlinkInStoreRefused();
    void leaseKeepsBlobs();
    void deadLeaseKeepsNothing();
};

void tst_OciStore::layoutFiles()
{
    QTemporaryDir dir;
    const OciStore store(dir.path() + u"/store");
    VERIFY_OK(store.init());
    QCOMPARE(readJson(store.path() + u"/oci-layout").value(u"imageLayoutVersion").toString(),
             u"1.0.0"_s);
    const QJsonObject index = readJson(store.path() + u"/index.json");
    QCOMPARE(index.value(u"schemaVersion").toInt(), 2);
    QCOMPARE(index.value(u"mediaType").toString(), QString::fromLatin1(MediaType::OciIndex));
    QVERIFY(index.value(u"manifests").isArray());
    QVERIFY(QFileInfo(store.path() + u"/blobs/sha256").isDir());

    const FakeImage image = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, image.manifest, u"docker.io/library/node:15"_s));
    const QJsonArray manifests
        = readJson(store.path() + u"/index.json").value(u"manifests").toArray();
    QCOMPARE(manifests.size(), 1);
    const QJsonObject entry = manifests.first().toObject();
    QCOMPARE(entry.value(u"digest").toString(), image.manifest.digest.toString());
    QCOMPARE(entry.value(u"size").toInteger(), image.manifest.size);
    QCOMPARE(
        entry.value(u"annotations").toObject().value(QLatin1String(RefNameAnnotation)).toString(),
        u"docker.io/library/node:15"_s);
    // No temp file of the atomic index rewrite stays behind.
    QCOMPARE(QDir(store.path()).entryList({u"index.json*"_s}, QDir::Files | QDir::Hidden),
             QStringList{u"index.json"_s});
}

void tst_OciStore::defaultPathFromEnvironment()
{
    qputenv("BERTH_STORE", "/tmp/somewhere-else");
    QCOMPARE(OciStore::defaultPath(), u"/tmp/somewhere-else"_s);
    QCOMPARE(OciStore().path(), u"/tmp/somewhere-else"_s);
    qunsetenv("BERTH_STORE");
    QVERIFY(OciStore::defaultPath().endsWith(u"/store"));
}

void tst_OciStore::defaultPathIsXdg()
{
    // What berthctl and the GUI both set (cli/berthctl.cpp, app/berth_main.cpp).
    const QString organisation = QCoreApplication::organizationName();
    const QString application = QCoreApplication::applicationName();
    QCoreApplication::setOrganizationName(u"Berth"_s);
    QCoreApplication::setApplicationName(u"Berth"_s);
    QTemporaryDir dataHome;
    const bool hadDataHome = qEnvironmentVariableIsSet("XDG_DATA_HOME");
    const QByteArray previous = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", QFile::encodeName(dataHome.path()));
    qunsetenv("BERTH_STORE");
    const QString current = dataHome.filePath(u"Berth/store"_s);
    const QString legacy = dataHome.filePath(u"Berth/Berth/store"_s);
    const QString fresh = OciStore::defaultPath();
    // A store an earlier version made stays in use until there is one at the documented place.
    VERIFY_OK(OciStore(legacy).init());
    const QString withLegacy = OciStore::defaultPath();
    VERIFY_OK(OciStore(current).init());
    const QString withBoth = OciStore::defaultPath();
    if (hadDataHome)
        qputenv("XDG_DATA_HOME", previous);
    else
        qunsetenv("XDG_DATA_HOME");
    QCoreApplication::setOrganizationName(organisation);
    QCoreApplication::setApplicationName(application);
    QCOMPARE(fresh, current);
    QCOMPARE(withLegacy, legacy);
    QCOMPARE(withBoth, current);
}

void tst_OciStore::blobWriteAndRead()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const QByteArray data = randomBytes(100000);
    auto digest = store.writeBlob(data);
    VERIFY_OK(digest);
    QCOMPARE(*digest, digestOf(data));
    QVERIFY(store.hasBlob(*digest));
    QCOMPARE(store.blobSize(*digest), data.size());
    QCOMPARE(store.blobPath(*digest), dir.path() + u"/blobs/sha256/" + digest->encoded());
    auto read = store.readBlob(*digest, 1 << 20);
    VERIFY_OK(read);
    QCOMPARE(*read, data);
    // Writing it again is a no-op, and nothing but the blob is in the directory.
    VERIFY_OK(store.writeBlob(data));
    QCOMPARE(blobFiles(dir.path()), QStringList{digest->encoded()});
}

void tst_OciStore::uncommittedWriterLeavesNothing()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    {
        auto writer = store.createBlobWriter();
        VERIFY_OK(writer);
        VERIFY_OK((*writer)->write(randomBytes(1000)));
        QVERIFY(QFileInfo::exists((*writer)->tempPath()));
        QVERIFY(QFileInfo((*writer)->tempPath()).fileName().startsWith(u".tmp-"));
        QCOMPARE(blobFiles(dir.path()).size(), 1);
        // restart() forgets what was written, as when a server ignores a Range request.
        VERIFY_OK((*writer)->restart());
        QCOMPARE((*writer)->size(), 0);
    }
    QVERIFY(blobFiles(dir.path()).isEmpty());
}

void tst_OciStore::commitRefusesWrongSize()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const QByteArray data = randomBytes(500);
    auto writer = store.createBlobWriter();
    VERIFY_OK(writer);
    VERIFY_OK((*writer)->write(data));
    const Status s = store.commitBlob(**writer, digestOf(data), 501);
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::DigestMismatch);
    writer->reset();
    QVERIFY(blobFiles(dir.path()).isEmpty());

    auto good = store.createBlobWriter();
    VERIFY_OK(good);
    VERIFY_OK((*good)->write(data));
    VERIFY_OK(store.commitBlob(**good, digestOf(data), data.size()));
    good->reset(); // a committed blob stays when its writer goes
    QCOMPARE(blobFiles(dir.path()), QStringList{digestOf(data).encoded()});
}

void tst_OciStore::readBlobDetectsDamage()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const Digest digest = *store.writeBlob("{\"a\":1}");
    QFile file(store.blobPath(digest));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"a\":2}");
    file.close();
    auto read = store.readBlob(digest, 100);
    QVERIFY(!read);
    QCOMPARE(read.error().kind, Error::Kind::DigestMismatch);
}

void tst_OciStore::failedIndexChangeKeepsIndex()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage image = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, image.manifest, u"example.com/a:1"_s));
    QFile index(dir.path() + u"/index.json");
    QVERIFY(index.open(QIODevice::ReadOnly));
    const QByteArray before = index.readAll();
    index.close();
    const Status s = store.updateIndex([](QList<OciIndexEntry> &entries) -> Status {
        entries.clear();
        return fail(Error::Kind::InvalidArgument, u"no"_s);
    });
    QVERIFY(!s);
    QVERIFY(index.open(QIODevice::ReadOnly));
    QCOMPARE(index.readAll(), before);
}

void tst_OciStore::concurrentWriters()
{
    // Two store objects on one directory, as the GUI and berthctl would have, writing at once:
    // each update re-reads the index under the lock, so no tag is lost.
    QTemporaryDir dir;
    const OciStore first(dir.path());
    const OciStore second(dir.path());
    VERIFY_OK(first.init());
    const FakeImage a = writeImage(first, u"a"_s);
    const FakeImage b = writeImage(second, u"b"_s);
    auto writer = [](const OciStore &store, const Descriptor &manifest, const QString &prefix) {
        for (int i = 0; i < TagsPerWriter; ++i) {
            if (!setTag(store, manifest, prefix + QString::number(i)))
                return false;
        }
        return true;
    };
    QFuture<bool> one = QtConcurrent::run(writer, first, a.manifest, u"example.com/a:"_s);
    QFuture<bool> two = QtConcurrent::run(writer, second, b.manifest, u"example.com/b:"_s);
    QVERIFY(one.result());
    QVERIFY(two.result());
    const QSet<QString> names = refNames(first);
    QCOMPARE(names.size(), 2 * TagsPerWriter);
    for (int i = 0; i < TagsPerWriter; ++i) {
        QVERIFY(names.contains(u"example.com/a:"_s + QString::number(i)));
        QVERIFY(names.contains(u"example.com/b:"_s + QString::number(i)));
    }
    auto report = first.fsck();
    VERIFY_OK(report);
    QVERIFY2(report->isClean(), qPrintable(report->problems.join(u'\n')));
}

void tst_OciStore::childProcessWriter()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage image = writeImage(store, u"parent"_s);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TST_OCISTORE_CHILD"_s, dir.path());
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());
    for (int i = 0; i < TagsPerWriter; ++i)
        VERIFY_OK(setTag(store, image.manifest, u"example.com/parent:%1"_s.arg(i)));
    QVERIFY(child.waitForFinished(120000));
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);
    const QSet<QString> names = refNames(store);
    QCOMPARE(names.size(), 2 * TagsPerWriter);
    for (int i = 0; i < TagsPerWriter; ++i) {
        QVERIFY(names.contains(u"example.com/parent:%1"_s.arg(i)));
        QVERIFY(names.contains(u"example.com/child:%1"_s.arg(i)));
    }
}

void tst_OciStore::lockIsReleased()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    VERIFY_OK(store.updateIndex([](QList<OciIndexEntry> &) -> Status { return {}; }));
    // The lock is only held during the update: another holder gets it at once afterwards.
    QLockFile lock(dir.path() + u"/.lock");
    QVERIFY(lock.tryLock(0));
    lock.unlock();
}

void tst_OciStore::fsckClean()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage image = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, image.manifest, u"example.com/a:1"_s));
    auto report = store.fsck();
    VERIFY_OK(report);
    QVERIFY2(report->isClean(), qPrintable(report->problems.join(u'\n')));
    QCOMPARE(report->blobsChecked, 3);
    QCOMPARE(report->entriesChecked, 1);
}

void tst_OciStore::fsckCorruptBlob()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage image = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, image.manifest, u"example.com/a:1"_s));
    QFile layer(store.blobPath(image.layer));
    QVERIFY(layer.open(QIODevice::ReadWrite));
    layer.seek(10);
    layer.write("XXXX");
    layer.close();
    auto report = store.fsck();
    VERIFY_OK(report);
    QVERIFY(!report->isClean());
    QCOMPARE(report->corruptBlobs, QStringList{image.layer.toString()});
    // Repair drops the damaged blob, so a pull fetches it again; the image then lacks it.
    auto repaired = store.fsck(FsckOptions{true});
    VERIFY_OK(repaired);
    QVERIFY(!store.hasBlob(image.layer));
    auto after = store.fsck();
    VERIFY_OK(after);
    QCOMPARE(after->missingBlobs, QStringList{image.layer.toString()});
}

void tst_OciStore::fsckMissingBlob()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage image = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, image.manifest, u"example.com/a:1"_s));
    QVERIFY(QFile::remove(store.blobPath(image.config)));
    auto report = store.fsck();
    VERIFY_OK(report);
    QVERIFY(!report->isClean());
    QCOMPARE(report->missingBlobs, QStringList{image.config.toString()});
    QVERIFY(report->problems.join(u'\n').contains(u"example.com/a:1"));
}

void tst_OciStore::fsckTempFiles()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    auto fresh = store.createBlobWriter();
    VERIFY_OK(fresh);
    VERIFY_OK((*fresh)->write("in progress"));
    const QString stalePath = dir.path() + u"/blobs/sha256/.tmp-stale";
    {
        QFile stale(stalePath);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("left by a crash");
        QVERIFY(stale.flush()); // else closing writes, and sets the time anew
        QVERIFY(stale.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-7200),
                                  QFileDevice::FileModificationTime));
    }
    auto report = store.fsck();
    VERIFY_OK(report);
    QVERIFY2(report->isClean(), qPrintable(report->problems.join(u'\n')));
    QCOMPARE(report->tempFiles.size(), 2);
    QCOMPARE(report->removedTempFiles, QStringList{stalePath});
    QVERIFY(QFileInfo::exists((*fresh)->tempPath())); // another download may be writing it
    auto repaired = store.fsck(FsckOptions{true});
    VERIFY_OK(repaired);
    QCOMPARE(repaired->removedTempFiles, QStringList{(*fresh)->tempPath()});
}

void tst_OciStore::prune()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage kept = writeImage(store, u"kept"_s);
    const FakeImage untagged = writeImage(store, u"untagged"_s);
    VERIFY_OK(setTag(store, kept.manifest, u"example.com/kept:1"_s));
    VERIFY_OK(setTag(store, untagged.manifest, QString()));
    const Digest orphan = *store.writeBlob("orphan");
    auto report = store.prune(false);
    VERIFY_OK(report);
    QCOMPARE(report->removedEntries, QStringList{untagged.manifest.digest.toString()});
    QCOMPARE(report->removedBlobs.size(), 4); // the untagged image's three and the orphan
    QVERIFY(report->reclaimedBytes > 4096);
    QVERIFY(!store.hasBlob(orphan));
    QVERIFY(!store.hasBlob(untagged.layer));
    QVERIFY(store.hasBlob(kept.layer));
    QCOMPARE(refNames(store), QSet<QString>{u"example.com/kept:1"_s});
    auto fsck = store.fsck();
    VERIFY_OK(fsck);
    QVERIFY(fsck->isClean());
}

void tst_OciStore::pruneAll()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    VERIFY_OK(setTag(store, writeImage(store, u"a"_s).manifest, u"example.com/a:1"_s));
    VERIFY_OK(setTag(store, writeImage(store, u"b"_s).manifest, u"example.com/b:1"_s));
    auto report = store.prune(true);
    VERIFY_OK(report);
    QCOMPARE(report->removedEntries.size(), 2);
    QVERIFY(blobFiles(dir.path()).isEmpty());
    QVERIFY(refNames(store).isEmpty());
}

void tst_OciStore::discardBlobs()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const FakeImage tagged = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, tagged.manifest, u"example.com/a:1"_s));
    const Digest loose = *store.writeBlob("loose");
    // A failed pull discards what it stored, but never a blob an image uses.
    VERIFY_OK(store.discardBlobs({loose.toString(), tagged.layer.toString()}));
    QVERIFY(!store.hasBlob(loose));
    QVERIFY(store.hasBlob(tagged.layer));
}

void tst_OciStore::blobSources()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    VERIFY_OK(
        store.addBlobSources({u"sha256:aa"_s, u"sha256:bb"_s}, u"127.0.0.1:5000/berth/busybox"_s));
    VERIFY_OK(store.addBlobSources({u"sha256:aa"_s}, u"127.0.0.1:5000/other"_s));
    const auto sources = store.blobSources();
    QCOMPARE(sources.value(u"sha256:aa"_s),
             (QStringList{u"127.0.0.1:5000/berth/busybox"_s, u"127.0.0.1:5000/other"_s}));
    QCOMPARE(sources.value(u"sha256:bb"_s), QStringList{u"127.0.0.1:5000/berth/busybox"_s});
}

void tst_OciStore::staleSaveFilesRemoved_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("byPrune");
    // What `make test` once found after killing a prune (issue 19): berth-sources.json.qvjZKV.
    for (const char *file : {"berth-sources.json", "index.json", "oci-layout"}) {
        QTest::addRow("%s, fsck", file) << QString::fromLatin1(file) << false;
        QTest::addRow("%s, prune", file) << QString::fromLatin1(file) << true;
    }
}

void tst_OciStore::staleSaveFilesRemoved()
{
    QFETCH(QString, file);
    QFETCH(bool, byPrune);
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    VERIFY_OK(setTag(store, writeImage(store, u"a"_s).manifest, u"example.com/a:1"_s));
    VERIFY_OK(store.addBlobSources({u"sha256:aa"_s}, u"127.0.0.1:5000/a"_s));
    // A rewrite killed between writing its temp file and the rename leaves NAME.XXXXXX.
    const QString stale = dir.filePath(file + u".qvjZKV"_s);
    const QString unrelated = dir.filePath(u"notes.json.qvjZKV"_s);
    for (const QString &path : {stale, unrelated}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"half\":");
    }
    if (byPrune) {
        VERIFY_OK(store.prune(false));
    } else {
        auto report = store.fsck();
        VERIFY_OK(report);
        QVERIFY2(report->isClean(), qPrintable(report->problems.join(u'\n')));
        QCOMPARE(report->removedTempFiles, QStringList{stale});
    }
    QVERIFY(!QFileInfo::exists(stale));
    QVERIFY(QFileInfo::exists(unrelated)); // not the store's: left alone
    QVERIFY(QFileInfo::exists(dir.filePath(file)));
    QCOMPARE(refNames(store), QSet<QString>{u"example.com/a:1"_s});
}

void tst_OciStore::symlinkInStoreRefused_data()
{
    QTest::addColumn<QString>("part");
    QTest::newRow("blobs/sha256") << u"blobs/sha256"_s;
    QTest::newRow("blobs") << u"blobs"_s;
    QTest::newRow("index.json") << u"index.json"_s;
    QTest::newRow("oci-layout") << u"oci-layout"_s;
}

void tst_OciStore::symlinkInStoreRefused()
{
    QFETCH(QString, part);
    QTemporaryDir dir;
    const QString storePath = dir.filePath(u"store"_s);
    const OciStore store(storePath);
    VERIFY_OK(store.init());
    const FakeImage image = writeImage(store, u"a"_s);
    VERIFY_OK(setTag(store, image.manifest, u"example.com/a:1"_s));

    // Elsewhere, files shaped like the store's: the part moves there and a link replaces it.
    const QString elsewhere = dir.filePath(u"elsewhere"_s);
    QVERIFY(QDir().mkpath(elsewhere));
    const QString target = elsewhere + u'/' + QFileInfo(part).fileName();
    QVERIFY(QDir().rename(storePath + u'/' + part, target));
    QVERIFY(QFile::link(target, storePath + u'/' + part));
    const QString victimDir = part.startsWith(u"blobs"_s)
                                  ? (part == u"blobs"_s ? target + u"/sha256"_s : target)
                                  : QString();
    QString victim;
    if (!victimDir.isEmpty()) {
        victim = victimDir + u'/' + QString(64, u'a');
        QFile f(victim);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a blob of this store");
    }
    const QByteArray before = [&] {
        QFile f(target);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();

    const auto refused = [&](const Error &e) {
        return e.message.contains(u"symbolic link"_s) && e.message.contains(part);
    };
    auto pruned = store.prune(false);
    QVERIFY(!pruned);
    QVERIFY2(refused(pruned.error()), qPrintable(pruned.error().message));
    auto collected = store.collectGarbage();
    QVERIFY(!collected);
    QVERIFY(refused(collected.error()));
    auto discarded = store.discardBlobs({u"sha256:"_s + QString(64, u'a')});
    QVERIFY(!discarded);
    QVERIFY(refused(discarded.error()));
    auto changed = setTag(store, image.manifest, QString());
    QVERIFY(!changed);
    QVERIFY(refused(changed.error()));
    auto fsck = store.fsck(FsckOptions{true});
    QVERIFY(!fsck);
    QVERIFY(refused(fsck.error()));
    auto listed = store.readIndex();
    QVERIFY(!listed);
    QVERIFY(refused(listed.error()));

    // Nothing behind the link was touched, and the link is still a link.
    QVERIFY(QFileInfo(storePath + u'/' + part).isSymLink());
    if (!victim.isEmpty())
        QVERIFY(QFileInfo::exists(victim));
    QFile after(target);
    if (after.open(QIODevice::ReadOnly))
        QCOMPARE(after.readAll(), before);
}

void tst_OciStore::leaseKeepsBlobs()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    // A pull has fetched these (or found them there) but not written its tag yet.
    const FakeImage pulled = writeImage(store, u"pulled"_s);
    const QStringList digests{
        pulled.manifest.digest.toString(), pulled.config.toString(), pulled.layer.toString()};
    auto lease = store.leaseBlobs(digests);
    VERIFY_OK(lease);
    auto pruned = store.prune(false);
    VERIFY_OK(pruned);
    QVERIFY(pruned->removedBlobs.isEmpty());
    VERIFY_OK(store.collectGarbage());
    VERIFY_OK(store.discardBlobs(digests));
    for (const QString &d : digests)
        QVERIFY2(store.hasBlob(*Digest::parse(d)), qPrintable(d));
    auto fsck = store.fsck();
    VERIFY_OK(fsck);
    QVERIFY(fsck->removedTempFiles.isEmpty()); // a live lease is no leftover

    lease->reset();
    auto after = store.prune(false);
    VERIFY_OK(after);
    QCOMPARE(after->removedBlobs.size(), 3);
    QVERIFY(QDir(dir.filePath(u"berth-leases"_s)).isEmpty());
}

void tst_OciStore::deadLeaseKeepsNothing()
{
    QTemporaryDir dir;
    const OciStore store(dir.path());
    VERIFY_OK(store.init());
    const Digest loose = *store.writeBlob("loose");
    // What a killed pull leaves: a lease file nobody holds a lock on.
    QVERIFY(QDir().mkpath(dir.filePath(u"berth-leases"_s)));
    const QString dead = dir.filePath(u"berth-leases/dead"_s);
    QFile file(dead);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(loose.toString().toLatin1() + '\n');
    file.close();
    auto fsck = store.fsck();
    VERIFY_OK(fsck);
    QCOMPARE(fsck->removedTempFiles, QStringList{dead});
    QVERIFY(store.hasBlob(loose)); // fsck removes leftovers, never blobs
    VERIFY_OK(store.collectGarbage());
    QVERIFY(!store.hasBlob(loose));
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("TST_OCISTORE_CHILD"))
        return childMain();
    tst_OciStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ocistore.moc"
