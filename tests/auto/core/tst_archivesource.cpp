// The archive source (core/imagefiles/archivesource) over archives built entry by entry in the
// test: a layer reached through a symbolic link as podman writes them, and hostile or broken
// archives, each refused with a message naming what is wrong. No services.

#include "asynctest.h"
#include "contentsfixture.h"
#include "handtar.h"
#include "testhelpers.h"

#include "common/sha256.h"
#include "imagefiles/contentssource.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

QByteArray file(const QByteArray &name, const QByteArray &data)
{
    return tarEntry(name, '0', data);
}

QByteArray symlinkEntry(const QByteArray &name, const QByteArray &target)
{
    return tarEntry(name, '2', {}, target);
}

// The entries in order, then the end of the archive. (Joined one by one: a chain of `+` over
// temporaries would be a QStringBuilder, not a QByteArray.)
QByteArray tar(const QList<QByteArray> &entries)
{
    QByteArray out;
    for (const QByteArray &entry : entries)
        out += entry;
    return out + tarEnd();
}

QByteArray manifestJson(const QString &config, const QStringList &layers)
{
    const QJsonArray entry{QJsonObject{{u"Config"_s, config},
                                       {u"RepoTags"_s, QJsonArray{u"hand/made:1"_s}},
                                       {u"Layers"_s, QJsonArray::fromStringList(layers)}}};
    return QJsonDocument(entry).toJson(QJsonDocument::Compact);
}

// The fixture's first layer, uncompressed, as a docker-archive would hold it, and its config.
struct Parts
{
    QByteArray layer; // a plain tar
    QString diffHex;
    QByteArray config;
    QString configHex;
};

Parts parts(int diffIds = 1)
{
    Parts p;
    p.layer = file("etc/hello", "hello\n") + tarEnd();
    p.diffHex = Sha256::digestOf(p.layer).mid(7);
    QJsonArray ids;
    for (int i = 0; i < diffIds; ++i)
        ids.append(QString(u"sha256:"_s + p.diffHex));
    p.config
        = QJsonDocument(QJsonObject{{u"architecture"_s, u"amd64"_s},
                                    {u"os"_s, u"linux"_s},
                                    {u"rootfs"_s,
                                     QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, ids}}}})
              .toJson(QJsonDocument::Compact);
    p.configHex = Sha256::digestOf(p.config).mid(7);
    return p;
}

} // namespace

class tst_ArchiveSource final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void layerThroughSymlink();
    void refused_data();
    void refused();

private:
    QString write(const QByteArray &archive);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ArchiveSource::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_ArchiveSource::write(const QByteArray &archive)
{
    const QString path = m_dir->filePath(u"hand-made.tar"_s);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(archive) != archive.size())
        qFatal("cannot write the test archive");
    return path;
}

// podman's legacy layout: `<id>/layer.tar` is a link to `<diff_id>.tar`, which comes later.
void tst_ArchiveSource::layerThroughSymlink()
{
    const Parts p = parts();
    const QByteArray archive = tar(
        {symlinkEntry("abc/layer.tar", "../" + p.diffHex.toLatin1() + ".tar"),
         file(p.diffHex.toLatin1() + ".tar", p.layer),
         file(p.configHex.toLatin1() + ".json", p.config),
         file("manifest.json", manifestJson(p.configHex + u".json"_s, {u"abc/layer.tar"_s}))});
    auto source = archiveContentsSource(write(archive));
    auto image = await<ContentsImage>([&](auto done) { source->describe(done); });
    VERIFY_OK(image);
    QCOMPARE(image->name, u"hand/made:1"_s);
    QCOMPARE(image->layers.size(), 1);
    QCOMPARE(image->layers.first().blob.digest.toString(), u"sha256:"_s + p.diffHex);
    MemoryBlobSink sink(1 << 20);
    VERIFY_OK(await<void>([&](auto done) {
        source->fetchLayers(
            {0}, [&](int) { return &sink; }, {}, done);
    }));
    QCOMPARE(sink.data(), p.layer);
}

void tst_ArchiveSource::refused_data()
{
    QTest::addColumn<QByteArray>("archive");
    QTest::addColumn<QString>("message");
    const Parts p = parts();
    const QByteArray config = file(p.configHex.toLatin1() + ".json", p.config);
    const QString configName = p.configHex + u".json"_s;
    const QByteArray layer = file("layer.tar", p.layer);
    const auto manifest = [](const QString &configFile, const QString &layerFile) {
        return file("manifest.json", manifestJson(configFile, {layerFile}));
    };
    const Parts two = parts(2);
    const QByteArray index = R"({"schemaVersion":2,"manifests":[{"mediaType":)"
                             R"("application/vnd.oci.image.manifest.v1+json","digest":"sha256:)"
                             + p.configHex.toLatin1() + R"(","size":2}]})";

    QTest::newRow("manifest.json not JSON")
        << tar({file("manifest.json", "[{\"Config\":")}) << u"manifest.json"_s;
    QTest::newRow("a layer not there")
        << tar({config, manifest(configName, u"nope.tar"_s)}) << u"nope.tar"_s;
    QTest::newRow("a layer above the archive")
        << tar({config, manifest(configName, u"../x.tar"_s)}) << u"../x.tar"_s;
    QTest::newRow("an entry named ..") << tar({file("../evil", "x")}) << u"../evil"_s;
    QTest::newRow("an absolute entry") << tar({file("/etc/evil", "x")}) << u"/etc/evil"_s;
    QTest::newRow("a link out of the archive")
        << tar({config, symlinkEntry("out.tar", "../../etc/passwd")}) << u"out.tar"_s;
    QTest::newRow("links in a loop") << tar({config,
                                             symlinkEntry("a.tar", "b.tar"),
                                             symlinkEntry("b.tar", "a.tar"),
                                             manifest(configName, u"a.tar"_s)})
                                     << u"a.tar"_s;
    QTest::newRow("diff_ids and layers disagree")
        << tar({layer,
                file(two.configHex.toLatin1() + ".json", two.config),
                manifest(two.configHex + u".json"_s, u"layer.tar"_s)})
        << u"2 layers"_s;
    QTest::newRow("config not JSON")
        << tar({layer, file("c.json", randomBytes(300, 5)), manifest(u"c.json"_s, u"layer.tar"_s)})
        << u"c.json"_s;
    QTest::newRow("a blob that does not hash to its name")
        << tar({file("index.json", index), file("blobs/sha256/" + p.configHex.toLatin1(), "{}")})
        << u"does not hash"_s;
    QTest::newRow("neither manifest.json nor index.json")
        << tar({layer}) << u"neither manifest.json nor index.json"_s;
    QTest::newRow("no image") << tar({file("manifest.json", "[]")}) << u"no image"_s;
}

void tst_ArchiveSource::refused()
{
    QFETCH(QByteArray, archive);
    QFETCH(QString, message);
    auto source = archiveContentsSource(write(archive));
    auto image = await<ContentsImage>([&](auto done) { source->describe(done); });
    QVERIFY(!image);
    QVERIFY2(image.error().message.contains(message), qPrintable(image.error().message));
    QVERIFY2(image.error().message.contains(u"hand-made.tar"_s), qPrintable(image.error().message));
}

QTEST_MAIN(tst_ArchiveSource)
#include "tst_archivesource.moc"
