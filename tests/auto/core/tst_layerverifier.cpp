// The layer check a pull or load runs while a layer streams past (core/archive/layerverifier):
// gzip layers go through igzip (one member or several; truncated, corrupt or followed by other
// bytes they are refused), uncompressed tars straight to the tar reader, zstd and anything else
// through libarchive. Each accepted layer's diff_id is compared with the sha256 of its tar.
// Layers are built here with libarchive and fed in small pieces, so the first bytes the verifier
// looks at arrive split. No services.

#include "archive/layerverifier.h"
#include "common/sha256.h"

#include <archive.h>
#include <archive_entry.h>

#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

enum class Filter { None, Gzip, Zstd };

// An archive in memory: pax headers for `files` (name → content), compressed by `filter`.
QByteArray writeArchive(const QList<std::pair<QByteArray, QByteArray>> &files, Filter filter)
{
    archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (filter == Filter::Gzip)
        archive_write_add_filter_gzip(a);
    else if (filter == Filter::Zstd)
        archive_write_add_filter_zstd(a);
    QByteArray out(4 << 20, Qt::Uninitialized);
    size_t used = 0;
    archive_write_open_memory(a, out.data(), size_t(out.size()), &used);
    for (const auto &[name, content] : files) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name.constData());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, content.size());
        archive_write_header(a, e);
        archive_write_data(a, content.constData(), size_t(content.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    out.truncate(qsizetype(used));
    return out;
}

// Any bytes, gzip-compressed as one member.
QByteArray gzip(const QByteArray &data)
{
    archive *a = archive_write_new();
    archive_write_set_format_raw(a);
    archive_write_add_filter_gzip(a);
    QByteArray out(4 << 20, Qt::Uninitialized);
    size_t used = 0;
    archive_write_open_memory(a, out.data(), size_t(out.size()), &used);
    archive_entry *e = archive_entry_new();
    archive_entry_set_filetype(e, AE_IFREG);
    archive_write_header(a, e);
    archive_write_data(a, data.constData(), size_t(data.size()));
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    out.truncate(qsizetype(used));
    return out;
}

QByteArray sampleTar()
{
    QByteArray big(300000, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7919) % 251);
    return writeArchive({{"etc/", {}}, {"etc/hostname", "berth\n"}, {"usr/bin/big", big}},
                        Filter::None);
}

// The verdict on `layer` fed in `piece`-byte pieces.
Result<Digest> verify(const QByteArray &layer, qsizetype piece)
{
    LayerVerifier verifier(u"Layer test"_s, u"test"_s);
    for (qsizetype at = 0; at < layer.size(); at += piece) {
        if (Status s = verifier.feed(layer.mid(at, piece)); !s)
            break;
    }
    return verifier.finish();
}

} // namespace

class TestLayerVerifier : public QObject
{
    Q_OBJECT

private slots:
    void verdict_data();
    void verdict();
};

void TestLayerVerifier::verdict_data()
{
    QTest::addColumn<QByteArray>("layer");
    QTest::addColumn<QString>("diffId");  // expected; empty: none (the blob digest is the diff_id)
    QTest::addColumn<QString>("refusal"); // expected in the message; empty: accepted

    const QByteArray tar = sampleTar();
    const QString tarDigest = Sha256::digestOf(tar);
    const QByteArray gz = gzip(tar);
    const QByteArray hostile = writeArchive({{"../escape", "x"}}, Filter::None);

    QTest::newRow("gzip, one member") << gz << tarDigest << QString();
    QTest::newRow("gzip, three members")
        << gzip(tar.first(700)) + gzip(tar.sliced(700, 100000)) + gzip(tar.sliced(100700))
        << tarDigest << QString();
    QTest::newRow("gzip, libarchive's own")
        << writeArchive({{"a", "b"}}, Filter::Gzip)
        << Sha256::digestOf(writeArchive({{"a", "b"}}, Filter::None)) << QString();
    QTest::newRow("gzip, truncated") << gz.first(gz.size() / 2) << QString() << u"ends early"_s;
    QTest::newRow("gzip, trailer cut") << gz.first(gz.size() - 3) << QString() << u"ends early"_s;
    QByteArray badCrc = gz;
    badCrc[badCrc.size() - 8] = char(badCrc[badCrc.size() - 8] ^ 0x55);
    QTest::newRow("gzip, corrupt CRC") << badCrc << QString() << u"checksum (CRC)"_s;
    QByteArray badData = gz;
    for (qsizetype i = 100; i < 164; ++i)
        badData[i] = char(0xff);
    QTest::newRow("gzip, corrupt data") << badData << QString() << u"invalid gzip data"_s;
    QTest::newRow("gzip, trailing garbage")
        << gz + "not gzip at all" << QString() << u"data follows the end of the gzip stream"_s;
    QTest::newRow("gzip, trailing zeros")
        << gz + QByteArray(1024, '\0') << QString() << u"data follows the end of the gzip stream"_s;
    QTest::newRow("gzip, no tar inside")
        << gzip(QByteArray("just some text\n").repeated(200)) << QString() << u"is refused"_s;
    QTest::newRow("gzip, '..' inside") << gzip(hostile) << QString() << u"is refused"_s;
    QTest::newRow("zstd") << writeArchive({{"a", "b"}}, Filter::Zstd)
                          << Sha256::digestOf(writeArchive({{"a", "b"}}, Filter::None))
                          << QString();
    QTest::newRow("plain tar") << tar << QString() << QString();
    QTest::newRow("plain tar, '..' inside") << hostile << QString() << u"is refused"_s;
    QTest::newRow("empty") << QByteArray() << QString() << QString();
    QTest::newRow("no tar") << QByteArray("just some text\n").repeated(200) << QString()
                            << u"is refused"_s;
}

void TestLayerVerifier::verdict()
{
    QFETCH(QByteArray, layer);
    QFETCH(QString, diffId);
    QFETCH(QString, refusal);
    // Pieces smaller than a tar header, and pieces as large as a network read gives.
    for (const qsizetype piece : {qsizetype(97), qsizetype(65536)}) {
        const auto verdict = verify(layer, piece);
        if (refusal.isEmpty()) {
            QVERIFY2(bool(verdict), bool(verdict) ? "" : qPrintable(verdict.error().message));
            QCOMPARE(verdict->toString(), diffId);
        } else {
            if (verdict)
                QFAIL(qPrintable(u"accepted, diff_id "_s + verdict->toString()));
            QCOMPARE(verdict.error().kind, Error::Kind::InvalidArgument);
            QVERIFY2(verdict.error().message.startsWith(u"Layer test is refused"_s),
                     qPrintable(verdict.error().message));
            QVERIFY2(verdict.error().message.contains(refusal),
                     qPrintable(verdict.error().message));
        }
    }
}

QTEST_GUILESS_MAIN(TestLayerVerifier)
#include "tst_layerverifier.moc"
