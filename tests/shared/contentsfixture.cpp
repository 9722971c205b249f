#include "contentsfixture.h"

#include "asynctest.h"
#include "testhelpers.h"

#include "archive/compressedstream.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace BerthTest {

namespace {

QByteArray tarOf(const QList<QByteArray> &directories, const QMap<QByteArray, QByteArray> &files)
{
    QByteArray out;
    auto writer = TarWriter::toFunction(
        [&](const char *data, qint64 size) {
            out.append(data, size);
            return true;
        },
        u"fixture layer"_s,
        Compression::None);
    if (!writer)
        qFatal("cannot write a fixture layer");
    const QDateTime mtime = QDateTime::fromSecsSinceEpoch(1700000000);
    for (const QByteArray &d : directories)
        (void)(*writer)->addDirectory(QString::fromUtf8(d), mtime);
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        (void)(*writer)->addBytes(QString::fromUtf8(it.key()), it.value(), mtime);
    if (!(*writer)->finish())
        qFatal("cannot finish a fixture layer");
    return out;
}

QByteArray gzip(const QByteArray &data)
{
    QByteArray out;
    auto stream = CompressedStream::open(Compression::Gzip, [&](const char *p, qint64 n) -> Status {
        out.append(p, n);
        return {};
    });
    if (!stream || !(*stream)->write(data) || !(*stream)->finish())
        qFatal("cannot gzip a fixture layer");
    return out;
}

FixtureLayer layer(const QList<QByteArray> &directories,
                   const QMap<QByteArray, QByteArray> &files,
                   bool compressed,
                   const QString &createdBy)
{
    FixtureLayer l;
    const QByteArray tar = tarOf(directories, files);
    l.diffId = Sha256::digestOf(tar);
    l.blob = compressed ? gzip(tar) : tar;
    l.digest = Sha256::digestOf(l.blob);
    l.mediaType = QLatin1String(compressed ? MediaType::OciLayerGzip : MediaType::OciLayer);
    l.files = files;
    l.createdBy = createdBy;
    return l;
}

QJsonObject history(const QString &createdBy, bool empty = false)
{
    QJsonObject o{{u"created"_s, u"2024-01-01T00:00:00Z"_s}, {u"created_by"_s, createdBy}};
    if (empty)
        o.insert(u"empty_layer"_s, true);
    return o;
}

} // namespace

ContentsFixture makeContentsFixture(quint32 seed)
{
    ContentsFixture f;
    const QByteArray tag = QByteArray::number(seed);
    f.layers << layer({"etc", "bin"},
                      {{"etc/hello", "hello " + tag + '\n'},
                       {"bin/tool", randomBytes(200000, seed)},
                       {"etc/os-release", "ID=berth-fixture\n"}},
                      true,
                      u"ADD rootfs /"_s);
    f.layers << layer({"etc", "usr", "usr/share"},
                      {{"etc/hello", "hello again " + tag + '\n'},
                       {"usr/share/readme", QByteArray(5000, 'r')},
                       {"bin/.wh.tool", QByteArray()}},
                      true,
                      u"RUN change-things"_s);
    f.layers << layer(
        {"data"}, {{"data/big", randomBytes(300000, seed + 1)}}, false, u"COPY big /data/big"_s);
    QJsonArray diffIds;
    QJsonArray steps;
    for (const FixtureLayer &l : std::as_const(f.layers)) {
        diffIds.append(l.diffId);
        steps.append(history(l.createdBy));
        if (steps.size() == 1)
            steps.append(history(QString(u"ENV FIXTURE="_s + QString::fromLatin1(tag)), true));
    }
    const QJsonObject config{
        {u"architecture"_s, u"amd64"_s},
        {u"os"_s, u"linux"_s},
        {u"config"_s,
         QJsonObject{{u"Env"_s, QJsonArray{QString(u"FIXTURE="_s + QString::fromLatin1(tag))}}}},
        {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, diffIds}}},
        {u"history"_s, steps}};
    f.config = QJsonDocument(config).toJson(QJsonDocument::Compact);
    f.configDigest = Sha256::digestOf(f.config);
    QJsonArray layers;
    for (const FixtureLayer &l : std::as_const(f.layers))
        layers.append(QJsonObject{{u"mediaType"_s, l.mediaType},
                                  {u"digest"_s, l.digest},
                                  {u"size"_s, qint64(l.blob.size())}});
    const QJsonObject manifest{{u"schemaVersion"_s, 2},
                               {u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                               {u"config"_s,
                                QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciConfig)},
                                            {u"digest"_s, f.configDigest},
                                            {u"size"_s, qint64(f.config.size())}}},
                               {u"layers"_s, layers}};
    f.manifest = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    f.manifestDigest = Sha256::digestOf(f.manifest);
    return f;
}

Status pushContentsFixture(RegistryClient &client,
                           const ImageReference &reference,
                           const ContentsFixture &fixture)
{
    QList<QPair<QString, QByteArray>> blobs{{fixture.configDigest, fixture.config}};
    for (const FixtureLayer &l : fixture.layers)
        blobs.append({l.digest, l.blob});
    for (const auto &[digest, bytes] : blobs) {
        Status s = await<void>(
            [&](auto done) { client.uploadBlob(reference, parseDigest(digest), bytes, done); });
        if (!s)
            return s;
    }
    auto put = await<Digest>([&](auto done) {
        client.putManifest(
            reference, QLatin1String(MediaType::OciManifest), fixture.manifest, done);
    });
    if (!put)
        return fail(put.error());
    return {};
}

} // namespace BerthTest
