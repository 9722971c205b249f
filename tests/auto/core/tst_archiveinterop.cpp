// Archives against the real peers (issue 5): what Berth saves, docker, podman and skopeo load;
// what they save, Berth loads; Berth's export of an image matches `docker export` of a container
// made from it; import from a URL; the engine backends' save/load/export/import through their API.
// Needs the test services with the engines (`berth-services start --with docker,podman`).
#include "asynctest.h"
#include "fakehubserver.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <archive_entry.h>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString text() const { return QString::fromUtf8(out + err); }
};

Run run(const QString &program, const QStringList &arguments, int timeoutMs = 300000)
{
    QProcess process;
    process.start(program, arguments);
    Run r;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        r.err = program.toUtf8() + " did not run or did not finish";
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

// The engines' own command-line clients, pointed at the test engines.
Run docker(const QStringList &arguments)
{
    return run(
        u"docker"_s,
        QStringList{u"-H"_s, u"unix://"_s + TestServices::instance().engineSocket(u"docker"_s)}
            + arguments);
}

Run podman(const QStringList &arguments)
{
    return run(u"podman"_s,
               QStringList{u"--remote"_s,
                           u"--url"_s,
                           u"unix://"_s + TestServices::instance().engineSocket(u"podman"_s)}
                   + arguments);
}

Run engineCli(const QString &engine, const QStringList &arguments)
{
    return engine == u"docker" ? docker(arguments) : podman(arguments);
}

QString uniqueName(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate(), 16);
}

// One entry of a filesystem tar, as compared between exporters.
struct FsEntry
{
    char type = 'f';
    int mode = 0;
    qint64 size = 0;
    QString link;
    QByteArray sha;

    bool operator==(const FsEntry &) const = default;
    QString toString() const
    {
        return u"%1 %2 %3 %4 %5"_s.arg(QChar::fromLatin1(type))
            .arg(mode, 4, 8, QChar(u'0'))
            .arg(size)
            .arg(link, QString::fromLatin1(sha.left(12)));
    }
};

// Path → entry for every entry of a tar (hard links resolved to their target's content).
QMap<QString, FsEntry> readFilesystemTar(const QString &path, QString *error)
{
    QMap<QString, FsEntry> entries;
    auto reader = TarReader::openFile(path);
    if (!reader) {
        *error = reader.error().message;
        return {};
    }
    for (;;) {
        auto more = (*reader)->next();
        if (!more) {
            *error = more.error().message;
            return {};
        }
        if (!*more)
            break;
        const TarEntry &e = (*reader)->entry();
        QString name = e.path;
        while (name.startsWith(u"./"))
            name.remove(0, 2);
        while (name.endsWith(u'/'))
            name.chop(1);
        if (name.isEmpty() || name == u".")
            continue;
        FsEntry fs;
        fs.mode = e.mode;
        switch (e.type) {
        case TarEntry::Type::Directory:
            fs.type = 'd';
            break;
        case TarEntry::Type::Symlink:
            fs.type = 'l';
            fs.link = e.linkTarget;
            break;
        case TarEntry::Type::HardLink: {
            QString target = e.linkTarget;
            while (target.startsWith(u"./"))
                target.remove(0, 2);
            fs = entries.value(target);
            fs.mode = e.mode;
            break;
        }
        case TarEntry::Type::File: {
            Sha256 hash;
            for (;;) {
                auto block = (*reader)->readBlock();
                if (!block) {
                    *error = block.error().message;
                    return {};
                }
                if (block->isEmpty())
                    break;
                hash.addData(*block);
                fs.size += block->size();
            }
            fs.sha = hash.result().toHex();
            break;
        }
        default:
            fs.type = 'o';
            break;
        }
        entries.insert(name, fs);
    }
    return entries;
}

// What `docker export` adds to an image's filesystem: the container's own mount points and files.
bool addedByDocker(const QString &path)
{
    static const QStringList added{u".dockerenv"_s,
                                   u"dev"_s,
                                   u"dev/console"_s,
                                   u"dev/pts"_s,
                                   u"dev/shm"_s,
                                   u"etc"_s,
                                   u"etc/hostname"_s,
                                   u"etc/hosts"_s,
                                   u"etc/mtab"_s,
                                   u"etc/resolv.conf"_s,
                                   u"proc"_s,
                                   u"sys"_s};
    return added.contains(path);
}

// A layer tar written with TarWriter from (path, type, content/target) rows.
struct LayerEntry
{
    QString path;
    char type = 'f';    // f file, d dir, l symlink, h hard link
    QByteArray content; // file content, or link target
    int mode = 0644;
};

QByteArray layerTar(const QList<LayerEntry> &rows)
{
    QByteArray bytes;
    auto writer = TarWriter::toFunction(
        [&bytes](const char *data, qint64 size) {
            bytes.append(data, size);
            return true;
        },
        u"layer"_s,
        Compression::None);
    if (!writer)
        qFatal("TarWriter: %s", qPrintable(writer.error().message));
    for (const LayerEntry &row : rows) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname_utf8(e, row.path.toUtf8().constData());
        archive_entry_set_mtime(e, 1700000000, 0);
        archive_entry_set_uid(e, 0);
        archive_entry_set_gid(e, 0);
        archive_entry_set_perm(e, mode_t(row.mode));
        switch (row.type) {
        case 'd':
            archive_entry_set_filetype(e, AE_IFDIR);
            break;
        case 'l':
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink_utf8(e, row.content.constData());
            break;
        case 'h':
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink_utf8(e, row.content.constData());
            break;
        default:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_size(e, row.content.size());
        }
        if (!(*writer)->writeHeader(e))
            qFatal("header");
        if (row.type == 'f')
            (void)(*writer)->writeData(row.content);
        archive_entry_free(e);
    }
    (void)(*writer)->finish();
    return bytes;
}

} // namespace

class tst_ArchiveInterop final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void saveLoadsInPeers_data();
    void saveLoadsInPeers();
    void loadsWhatPeersSave_data();
    void loadsWhatPeersSave();
    void roundTripKeepsDigests();
    void exportMatchesDockerExport();
    void importFromUrlThenExport();
    void engineArchives_data();
    void engineArchives();
    void failedSaveLeavesNoFile();

private:
    Result<PullResult> pullFixture(const QString &repositoryTag);
    std::unique_ptr<EngineBackend> engine(const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TestCredentials> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    QString m_busybox; // 127.0.0.1:PORT/berth/busybox:1.0 on the plain registry
};

void tst_ArchiveInterop::initTestCase()
{
    const TestServices &services = TestServices::instance();
    for (const QString &e : {u"docker"_s, u"podman"_s})
        if (services.engineSocket(e).isEmpty())
            QFAIL("the test services were started without the engines (--with docker,podman)");
    m_busybox = services.registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    // The peers pull the fixture from the plain registry once.
    for (const QString &e : {u"docker"_s, u"podman"_s}) {
        const Run pulled = engineCli(e, {u"pull"_s, u"-q"_s, m_busybox});
        QVERIFY2(pulled.exitCode == 0, qPrintable(pulled.text()));
    }
}

void tst_ArchiveInterop::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<TestCredentials>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(m_credentials.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());
}

void tst_ArchiveInterop::cleanup()
{
    m_backend.reset();
    m_client.reset();
    m_credentials.reset();
    m_network.reset();
    m_dir.reset();
}

Result<PullResult> tst_ArchiveInterop::pullFixture(const QString &reference)
{
    auto ref = ImageReference::parse(reference);
    if (!ref)
        return fail(ref.error());
    return await<PullResult>([&](auto done) { m_backend->pull(*ref, {}, done); }, 300000);
}

std::unique_ptr<EngineBackend> tst_ArchiveInterop::engine(const QString &name)
{
    EngineEndpoint endpoint{TestServices::instance().engineSocket(name), u"test"_s};
    auto found = await<std::unique_ptr<EngineBackend>>([&](auto done) {
        EngineBackend::discover(m_credentials.get(), std::nullopt, done, endpoint);
    });
    if (!found) {
        qWarning("%s: %s", qPrintable(name), qPrintable(describe(found.error())));
        return {};
    }
    return std::move(*found);
}

void tst_ArchiveInterop::saveLoadsInPeers_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::newRow("plain tar") << u"busybox.tar"_s;
    QTest::newRow("gzip") << u"busybox.tar.gz"_s;
}

void tst_ArchiveInterop::saveLoadsInPeers()
{
    QFETCH(QString, fileName);
    auto pulled = pullFixture(m_busybox);
    VERIFY_OK(pulled);
    const QString file = m_dir->filePath(fileName);
    SaveOptions options;
    options.compression = compressionForFileName(file);
    auto saved = await<SaveResult>(
        [&](auto done) { m_backend->save({m_busybox}, ArchiveTarget::file(file), options, done); });
    VERIFY_OK(saved);
    QVERIFY(QFileInfo(file).size() > 1000000);

    // skopeo verifies every digest of a docker-archive when it copies it; it reads only
    // uncompressed docker-archives (docker and podman load compressed ones, below).
    if (options.compression == Compression::None) {
        const Run skopeo = run(u"skopeo"_s,
                               {u"copy"_s,
                                u"--quiet"_s,
                                u"docker-archive:"_s + file,
                                u"oci:"_s + m_dir->filePath(u"skopeo"_s) + u":t"_s});
        QVERIFY2(skopeo.exitCode == 0, qPrintable(skopeo.text()));
        const Run config
            = run(u"skopeo"_s, {u"inspect"_s, u"--raw"_s, u"docker-archive:"_s + file});
        QVERIFY2(config.exitCode == 0, qPrintable(config.text()));
        QCOMPARE(QJsonDocument::fromJson(config.out)
                     .object()
                     .value(u"config")
                     .toObject()
                     .value(u"digest")
                     .toString(),
                 pulled->imageId.toString());
    }

    // docker load and podman load restore the tag, with the same image ID.
    const QString tag = uniqueName(u"127.0.0.1:1/berth/saved"_s) + u":1"_s;
    VERIFY_OK(await<void>(
        [&](auto done) { m_backend->tag(m_busybox, *ImageReference::parse(tag), done); }));
    const QString tagged = m_dir->filePath(u"tagged-"_s + fileName);
    VERIFY_OK(await<SaveResult>(
        [&](auto done) { m_backend->save({tag}, ArchiveTarget::file(tagged), options, done); }));
    for (const QString &e : {u"docker"_s, u"podman"_s}) {
        const Run loaded = engineCli(e, {u"load"_s, u"-i"_s, tagged});
        QVERIFY2(loaded.exitCode == 0, qPrintable(e + u": "_s + loaded.text()));
        QVERIFY2(loaded.text().contains(tag), qPrintable(e + u": "_s + loaded.text()));
        const Run id = engineCli(e, {u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, tag});
        QVERIFY2(id.exitCode == 0, qPrintable(id.text()));
        QVERIFY2(pulled->imageId.toString().endsWith(
                     QString::fromUtf8(id.out.trimmed()).remove(u"sha256:"_s)),
                 qPrintable(e + u": "_s + id.text()));
        (void)engineCli(e, {u"rmi"_s, tag});
    }
}

void tst_ArchiveInterop::loadsWhatPeersSave_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QStringList>("arguments"); // %1 = output file, %2 = image
    QTest::newRow("docker save") << u"docker"_s
                                 << QStringList{u"save"_s, u"-o"_s, u"%1"_s, u"%2"_s};
    QTest::newRow("podman save docker-archive")
        << u"podman"_s
        << QStringList{u"save"_s, u"--format"_s, u"docker-archive"_s, u"-o"_s, u"%1"_s, u"%2"_s};
    QTest::newRow("podman save oci-archive")
        << u"podman"_s
        << QStringList{u"save"_s, u"--format"_s, u"oci-archive"_s, u"-o"_s, u"%1"_s, u"%2"_s};
    QTest::newRow("skopeo docker-archive") << u"skopeo"_s
                                           << QStringList{u"copy"_s,
                                                          u"--quiet"_s,
                                                          u"--src-tls-verify=false"_s,
                                                          u"docker://%2"_s,
                                                          u"docker-archive:%1:%2"_s};
    QTest::newRow("skopeo oci-archive") << u"skopeo"_s
                                        << QStringList{u"copy"_s,
                                                       u"--quiet"_s,
                                                       u"--src-tls-verify=false"_s,
                                                       u"docker://%2"_s,
                                                       u"oci-archive:%1:%2"_s};
}

void tst_ArchiveInterop::loadsWhatPeersSave()
{
    QFETCH(QString, tool);
    QFETCH(QStringList, arguments);
    const QString file = m_dir->filePath(u"peer.tar"_s);
    for (QString &a : arguments)
        a = a.replace(u"%1"_s, file).replace(u"%2"_s, m_busybox);
    const Run saved = tool == u"skopeo" ? run(tool, arguments) : engineCli(tool, arguments);
    QVERIFY2(saved.exitCode == 0, qPrintable(saved.text()));

    // And compressed, as `docker save | gzip` users keep them.
    for (const bool gzip : {false, true}) {
        QString input = file;
        if (gzip) {
            const Run gz = run(u"gzip"_s, {u"-k"_s, u"-f"_s, file});
            QVERIFY2(gz.exitCode == 0, qPrintable(gz.text()));
            input = file + u".gz"_s;
        }
        auto loaded = await<LoadResult>(
            [&](auto done) { m_backend->load(ArchiveSource::file(input), {}, done); });
        VERIFY_OK(loaded);
        const QString familiar = ImageReference::parse(m_busybox)->familiarString();
        QVERIFY2(loaded->loadedTags.contains(familiar),
                 qPrintable(loaded->loadedTags.join(u", ") + u" / " + loaded->format));
        auto details = await<LocalImageDetails>(
            [&](auto done) { m_backend->inspectImage(m_busybox, done); });
        VERIFY_OK(details);
        const Run id = engineCli(
            u"docker"_s, {u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_busybox});
        QCOMPARE(details->image.id.toString(), QString::fromUtf8(id.out.trimmed()));
        // skopeo reads the loaded image back from the store.
        const Run inspect = run(
            u"skopeo"_s, {u"inspect"_s, u"oci:"_s + m_backend->store().path() + u':' + m_busybox});
        QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.text()));
    }
}

void tst_ArchiveInterop::roundTripKeepsDigests()
{
    auto pulled = pullFixture(m_busybox);
    VERIFY_OK(pulled);
    const Run before = run(u"skopeo"_s,
                           {u"inspect"_s,
                            u"oci:"_s + m_backend->store().path() + u':'
                                + ImageReference::parse(m_busybox)->toString()});
    QVERIFY2(before.exitCode == 0, qPrintable(before.text()));
    const QString file = m_dir->filePath(u"round.tar.zst"_s);
    SaveOptions options;
    options.compression = Compression::Zstd;
    VERIFY_OK(await<SaveResult>([&](auto done) {
        m_backend->save({m_busybox}, ArchiveTarget::file(file), options, done);
    }));

    EmbeddedBackend other(m_dir->filePath(u"other"_s), m_client.get());
    auto loaded
        = await<LoadResult>([&](auto done) { other.load(ArchiveSource::file(file), {}, done); });
    VERIFY_OK(loaded);
    const Run after = run(
        u"skopeo"_s,
        {u"inspect"_s,
         u"oci:"_s + other.store().path() + u':' + ImageReference::parse(m_busybox)->toString()});
    QVERIFY2(after.exitCode == 0, qPrintable(after.text()));
    const auto digestOf = [](const Run &r) {
        return QJsonDocument::fromJson(r.out).object().value(u"Digest").toString();
    };
    QCOMPARE(digestOf(after), digestOf(before));
    QCOMPARE(digestOf(after), pulled->digest.toString());
}

void tst_ArchiveInterop::exportMatchesDockerExport()
{
    // A three-layer image with what flattening must get right: a whiteout, an opaque directory,
    // a hard link, symlinks, a file replaced by a directory's worth of content, set-uid.
    const QList<QByteArray> layers{
        layerTar({{u"etc"_s, 'd', {}, 0755},
                  {u"etc/motd"_s, 'f', "hello\n"},
                  {u"etc/old"_s, 'f', "to be removed\n"},
                  {u"data"_s, 'd', {}, 0755},
                  {u"data/a"_s, 'f', "a\n"},
                  {u"data/b"_s, 'f', "b\n"},
                  {u"bin"_s, 'd', {}, 0755},
                  {u"bin/tool"_s, 'f', "#!/bin/sh\necho tool\n", 04755},
                  // A hard link shares its target's inode, mode included, as tar writes it.
                  {u"bin/alias"_s, 'h', "bin/tool", 04755},
                  {u"lib"_s, 'd', {}, 0755},
                  {u"lib/libx.so.1"_s, 'f', "elf"},
                  {u"lib/libx.so"_s, 'l', "libx.so.1"}}),
        layerTar({{u"etc"_s, 'd', {}, 0755},
                  {u"etc/.wh.old"_s, 'f', {}},
                  {u"etc/motd"_s, 'f', "hello again\n"},
                  {u"data"_s, 'd', {}, 0700},
                  {u"data/.wh..wh..opq"_s, 'f', {}},
                  {u"data/c"_s, 'f', "c\n"}}),
        layerTar({{u"home"_s, 'd', {}, 0755},
                  {u"home/été"_s, 'f', "non-ASCII name\n"},
                  {u"lib"_s, 'd', {}, 0755},
                  {u"lib/.wh.libx.so"_s, 'f', {}}}),
    };
    // As a legacy docker-archive, which both docker load and Berth's load read.
    QStringList diffIds;
    for (const QByteArray &l : layers)
        diffIds << Sha256::digestOf(l);
    const QJsonObject configObject{
        {u"architecture"_s, Platform::host().architecture},
        {u"os"_s, u"linux"_s},
        {u"config"_s, QJsonObject{{u"Cmd"_s, QJsonArray{u"/bin/tool"_s}}}},
        {u"rootfs"_s,
         QJsonObject{{u"type"_s, u"layers"_s},
                     {u"diff_ids"_s, QJsonArray::fromStringList(diffIds)}}},
        {u"history"_s, QJsonArray{}}};
    const QByteArray config = QJsonDocument(configObject).toJson(QJsonDocument::Compact);
    const QString configHex = Sha256::digestOf(config).section(u':', 1);
    const QString tag = uniqueName(u"berth/flatten"_s) + u":1"_s;
    QStringList layerPaths;
    const QString archive = m_dir->filePath(u"flatten.tar"_s);
    {
        auto writer = TarWriter::toFile(archive, Compression::None);
        VERIFY_OK(writer);
        for (int i = 0; i < layers.size(); ++i) {
            const QString dir = diffIds.at(i).section(u':', 1);
            VERIFY_OK((*writer)->addBytes(dir + u"/layer.tar"_s, layers.at(i)));
            layerPaths << dir + u"/layer.tar"_s;
        }
        VERIFY_OK((*writer)->addBytes(configHex + u".json"_s, config));
        const QJsonArray manifest{
            QJsonObject{{u"Config"_s, QString(configHex + u".json"_s)},
                        {u"RepoTags"_s, QJsonArray{tag}},
                        {u"Layers"_s, QJsonArray::fromStringList(layerPaths)}}};
        VERIFY_OK((*writer)->addBytes(u"manifest.json"_s, QJsonDocument(manifest).toJson()));
        VERIFY_OK((*writer)->finish());
    }

    auto loaded = await<LoadResult>(
        [&](auto done) { m_backend->load(ArchiveSource::file(archive), {}, done); });
    VERIFY_OK(loaded);
    const QString ours = m_dir->filePath(u"ours.tar"_s);
    auto exported = await<ExportResult>(
        [&](auto done) { m_backend->exportFilesystem(tag, ArchiveTarget::file(ours), {}, done); });
    VERIFY_OK(exported);

    const Run dockerLoad = docker({u"load"_s, u"-q"_s, u"-i"_s, archive});
    QVERIFY2(dockerLoad.exitCode == 0, qPrintable(dockerLoad.text()));
    auto removeImage = qScopeGuard([&] { (void)docker({u"rmi"_s, u"-f"_s, tag}); });
    const Run created = docker({u"create"_s, u"--network"_s, u"none"_s, tag});
    QVERIFY2(created.exitCode == 0, qPrintable(created.text()));
    const QString container = QString::fromUtf8(created.out.trimmed());
    auto removeContainer = qScopeGuard([&] { (void)docker({u"rm"_s, u"-f"_s, container}); });
    const QString theirs = m_dir->filePath(u"theirs.tar"_s);
    const Run dockerExport = docker({u"export"_s, u"-o"_s, theirs, container});
    QVERIFY2(dockerExport.exitCode == 0, qPrintable(dockerExport.text()));

    QString error;
    const auto ourEntries = readFilesystemTar(ours, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto theirEntries = readFilesystemTar(theirs, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (auto it = theirEntries.begin(); it != theirEntries.end();) {
        if (addedByDocker(it.key()) && !ourEntries.contains(it.key()))
            it = theirEntries.erase(it);
        else
            ++it;
    }
    QStringList differences;
    for (auto it = theirEntries.cbegin(); it != theirEntries.cend(); ++it) {
        if (!ourEntries.contains(it.key()))
            differences << u"missing "_s + it.key();
        else if (!addedByDocker(it.key()) && !(ourEntries.value(it.key()) == it.value()))
            differences << it.key() + u": ours "_s + ourEntries.value(it.key()).toString()
                               + u", docker's "_s + it.value().toString();
    }
    for (auto it = ourEntries.cbegin(); it != ourEntries.cend(); ++it)
        if (!theirEntries.contains(it.key()))
            differences << u"extra "_s + it.key();
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u"\n")));
    // The cases themselves, so a shared mistake cannot pass.
    QVERIFY(!ourEntries.contains(u"etc/old"_s));
    QVERIFY(!ourEntries.contains(u"data/a"_s));
    QVERIFY(ourEntries.contains(u"data/c"_s));
    QCOMPARE(ourEntries.value(u"etc/motd"_s).size, qint64(12));
    QCOMPARE(ourEntries.value(u"bin/alias"_s).sha, ourEntries.value(u"bin/tool"_s).sha);
    QCOMPARE(ourEntries.value(u"bin/tool"_s).mode, 04755);
    QVERIFY(ourEntries.contains(u"home/été"_s));
    QVERIFY(!ourEntries.contains(u"lib/libx.so"_s));
    for (const QString &path : ourEntries.keys())
        QVERIFY2(!path.section(u'/', -1).startsWith(u".wh."), qPrintable(path));
}

void tst_ArchiveInterop::importFromUrlThenExport()
{
    // A rootfs as `docker export` gives it, served over HTTP, gzip'd.
    const Run created = docker({u"create"_s, u"--network"_s, u"none"_s, m_busybox});
    QVERIFY2(created.exitCode == 0, qPrintable(created.text()));
    const QString container = QString::fromUtf8(created.out.trimmed());
    auto removeContainer = qScopeGuard([&] { (void)docker({u"rm"_s, u"-f"_s, container}); });
    const QString rootfs = m_dir->filePath(u"rootfs.tar"_s);
    const Run exported = docker({u"export"_s, u"-o"_s, rootfs, container});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.text()));
    QVERIFY(run(u"gzip"_s, {u"-k"_s, rootfs}).exitCode == 0);
    QFile gz(rootfs + u".gz"_s);
    QVERIFY(gz.open(QIODevice::ReadOnly));
    const QByteArray body = gz.readAll();

    FakeHubServer server;
    QVERIFY(server.listen());
    server.route(u"/rootfs.tar.gz"_s,
                 FakeHubResponse{200, {{"Content-Type", "application/gzip"}}, body});
    ImportOptions options;
    options.reference = *ImageReference::parse(u"berth/imported:url"_s);
    options.changes = {u"CMD [\"/bin/sh\"]"_s, u"ENV GREETING=bonjour"_s};
    options.message = u"from a URL"_s;
    QList<ArchiveProgress> progress;
    options.progress = [&](const ArchiveProgress &p) {
        progress << p;
    };
    auto imported = await<ImportResult>([&](auto done) {
        m_backend->importFilesystem(
            ArchiveSource::fromUrl(server.url().resolved(QUrl(u"/rootfs.tar.gz"_s))),
            options,
            done);
    });
    VERIFY_OK(imported);
    QVERIFY(!progress.isEmpty());
    auto details = await<LocalImageDetails>(
        [&](auto done) { m_backend->inspectImage(u"berth/imported:url"_s, done); });
    VERIFY_OK(details);
    QCOMPARE(details->image.id, imported->imageId);
    QCOMPARE(details->config.cmd, QStringList{u"/bin/sh"_s});
    QVERIFY(details->config.env.contains(u"GREETING=bonjour"_s));
    QCOMPARE(details->config.history.size(), 1);
    QCOMPARE(details->config.history.first().comment, u"from a URL"_s);

    const QString back = m_dir->filePath(u"back.tar"_s);
    VERIFY_OK(await<ExportResult>([&](auto done) {
        m_backend->exportFilesystem(u"berth/imported:url"_s, ArchiveTarget::file(back), {}, done);
    }));
    QString error;
    const auto original = readFilesystemTar(rootfs, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto roundTrip = readFilesystemTar(back, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(roundTrip.keys(), original.keys());
    for (auto it = original.cbegin(); it != original.cend(); ++it)
        QVERIFY2(roundTrip.value(it.key()) == it.value(), qPrintable(it.key()));

    // A URL that answers 404 fails with the status, and stores nothing.
    auto missing = await<ImportResult>([&](auto done) {
        m_backend->importFilesystem(
            ArchiveSource::fromUrl(server.url().resolved(QUrl(u"/nope"_s))), {}, done);
    });
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains(u"404"), qPrintable(missing.error().message));
}

void tst_ArchiveInterop::engineArchives_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("docker") << u"docker"_s;
    QTest::newRow("podman") << u"podman"_s;
}

void tst_ArchiveInterop::engineArchives()
{
    QFETCH(QString, engine);
    auto backend = this->engine(engine);
    QVERIFY(backend);
    // Save (gzip'd on the way) the image the engine pulled in initTestCase.
    const QString saved = m_dir->filePath(u"engine.tar.gz"_s);
    SaveOptions saveOptions;
    saveOptions.compression = Compression::Gzip;
    auto result = await<SaveResult>([&](auto done) {
        backend->save({m_busybox}, ArchiveTarget::file(saved), saveOptions, done);
    });
    VERIFY_OK(result);
    {
        QFile f(saved);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(2), QByteArray("\x1f\x8b"));
    }
    // Berth's embedded store reads the engine's archive too.
    auto intoStore = await<LoadResult>(
        [&](auto done) { m_backend->load(ArchiveSource::file(saved), {}, done); });
    VERIFY_OK(intoStore);

    // Export a container made from the image (Berth makes and removes it), import it back.
    const QString rootfs = m_dir->filePath(u"engine-rootfs.tar"_s);
    auto exported = await<ExportResult>([&](auto done) {
        backend->exportFilesystem(m_busybox, ArchiveTarget::file(rootfs), {}, done);
    });
    VERIFY_OK(exported);
    QVERIFY(exported->bytesWritten > 1000000);
    const Run leftovers
        = engineCli(engine, {u"ps"_s, u"-a"_s, u"-q"_s, u"--filter"_s, u"label=io.berth.export"_s});
    QCOMPARE(QString::fromUtf8(leftovers.out.trimmed()), QString());

    const QString name = uniqueName(u"berth/engine-import"_s) + u":1"_s;
    ImportOptions importOptions;
    importOptions.reference = *ImageReference::parse(name);
    importOptions.changes = {u"CMD [\"/bin/sh\",\"-c\",\"echo hi\"]"_s};
    importOptions.message = u"imported by Berth"_s;
    auto imported = await<ImportResult>([&](auto done) {
        backend->importFilesystem(ArchiveSource::file(rootfs), importOptions, done);
    });
    VERIFY_OK(imported);
    auto removeImported = qScopeGuard([&] { (void)engineCli(engine, {u"rmi"_s, u"-f"_s, name}); });
    auto details = await<LocalImageDetails>([&](auto done) { backend->inspectImage(name, done); });
    VERIFY_OK(details);
    QCOMPARE(details->image.id, imported->imageId);
    QCOMPARE(details->config.cmd, (QStringList{u"/bin/sh"_s, u"-c"_s, u"echo hi"_s}));

    // Load: remove the imported image, load it back from a save of it.
    const QString again = m_dir->filePath(u"imported.tar"_s);
    VERIFY_OK(await<SaveResult>(
        [&](auto done) { backend->save({name}, ArchiveTarget::file(again), {}, done); }));
    VERIFY_OK(await<RemoveResult>([&](auto done) { backend->remove(name, true, done); }));
    auto loaded = await<LoadResult>(
        [&](auto done) { backend->load(ArchiveSource::file(again), {}, done); });
    VERIFY_OK(loaded);
    QVERIFY2(loaded->loadedTags.contains(ImageReference::parse(name)->familiarString()),
             qPrintable(loaded->loadedTags.join(u", ")));

    // A bad --change is refused before any byte goes to the engine.
    ImportOptions bad;
    bad.changes = {u"RUN rm -rf /"_s};
    auto refused = await<ImportResult>(
        [&](auto done) { backend->importFilesystem(ArchiveSource::file(rootfs), bad, done); });
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::InvalidArgument);
}

void tst_ArchiveInterop::failedSaveLeavesNoFile()
{
    // The user's previous file stays when a save fails (here: an unknown image).
    const QString file = m_dir->filePath(u"keep.tar"_s);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("previous content");
    }
    auto saved = await<SaveResult>([&](auto done) {
        m_backend->save({u"no/such:image"_s}, ArchiveTarget::file(file), {}, done);
    });
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Error::Kind::NotFound);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("previous content"));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{u"keep.tar"_s});
}

QTEST_GUILESS_MAIN(tst_ArchiveInterop)
#include "tst_archiveinterop.moc"
