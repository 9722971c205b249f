// Hostile JSON from a registry or Docker Hub: nesting far past any real answer, documents far
// past any real size, arrays of a million entries. Each parser must refuse with a message naming
// the problem (or, for a large but legal array, finish), never exhaust the stack or the memory.

#include "common/jsonlimits.h"
#include "oci/manifest.h"
#include "registry/hubclient.h"

#include <QTest>

#include <functional>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

using Parser = std::function<Result<void>(const QByteArray &)>;

template<typename T>
Result<void> outcome(const Result<T> &result)
{
    if (!result)
        return std::unexpected(result.error());
    return {};
}

const QUrl hubUrl(u"https://hub.example/v2/x"_s);

QMap<QString, Parser> parsers()
{
    return {
        {u"manifest"_s,
         [](const QByteArray &b) {
             return outcome(parseImageManifest(b));
         }},
        {u"index"_s,
         [](const QByteArray &b) {
             return outcome(parseImageIndex(b));
         }},
        {u"config"_s,
         [](const QByteArray &b) {
             return outcome(parseImageConfig(b));
         }},
        {u"hub search"_s,
         [](const QByteArray &b) {
             return outcome(HubJson::parseSearchV4(b, hubUrl, {}));
         }},
        {u"hub search v2"_s,
         [](const QByteArray &b) {
             return outcome(HubJson::parseSearchV2(b, hubUrl, {}, 0));
         }},
        {u"hub repository"_s,
         [](const QByteArray &b) {
             return outcome(HubJson::parseRepository(b, hubUrl, u"library"_s, u"node"_s));
         }},
        {u"hub tags"_s,
         [](const QByteArray &b) {
             return outcome(HubJson::parseTagsPage(b, hubUrl));
         }},
    };
}

QByteArray nested(int depth, bool objects)
{
    QByteArray out;
    out.reserve(depth * 6 + 1);
    for (int i = 0; i < depth; ++i)
        out += objects ? "{\"a\":" : "[";
    out += "1";
    for (int i = 0; i < depth; ++i)
        out += objects ? '}' : ']';
    return out;
}

// {"<field>": [<element>, … count times]}
QByteArray hugeArray(const QByteArray &field, const QByteArray &element, int count)
{
    QByteArray out = "{\"" + field + "\":[";
    out.reserve(out.size() + (element.size() + 1) * count + 2);
    for (int i = 0; i < count; ++i) {
        if (i)
            out += ',';
        out += element;
    }
    return out + "]}";
}

// A valid-looking object padded with one string to `size` bytes.
QByteArray padded(qint64 size)
{
    QByteArray out = "{\"schemaVersion\":2,\"pad\":\"";
    out += QByteArray(size - out.size() - 2, 'x');
    return out + "\"}";
}

} // namespace

class tst_JsonBounds final : public QObject
{
    Q_OBJECT

private slots:
    void nestingScanner_data();
    void nestingScanner();
    void refused_data();
    void refused();
    void largeButLegal_data();
    void largeButLegal();
};

void tst_JsonBounds::nestingScanner_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("deeper");

    QTest::newRow("10000 arrays") << nested(10000, false) << 64 << true;
    QTest::newRow("10000 objects") << nested(10000, true) << 64 << true;
    QTest::newRow("exactly 64") << nested(64, false) << 64 << false;
    QTest::newRow("65") << nested(65, false) << 64 << true;
    QTest::newRow("brackets in a string")
        << QByteArray("[\"" + QByteArray(10000, '[') + "\"]") << 64 << false;
    QTest::newRow("escaped quote keeps the string open")
        << QByteArray("[\"\\\"" + QByteArray(100, '{') + "\"]") << 64 << false;
    QTest::newRow("escaped backslash closes the string")
        << QByteArray("[\"\\\\\"," + nested(65, false) + "]") << 64 << true;
    QTest::newRow("escaped backslash then escaped quote")
        << QByteArray("[\"\\\\\\\"" + QByteArray(100, '{') + "\"]") << 64 << false;
    QTest::newRow("unterminated string") << QByteArray("[\"" + QByteArray(100, '[')) << 64 << false;
    QTest::newRow("unbalanced closers do not hide depth")
        << QByteArray(QByteArray(100, ']') + nested(65, false)) << 64 << true;
}

void tst_JsonBounds::nestingScanner()
{
    QFETCH(QByteArray, body);
    QFETCH(int, limit);
    QFETCH(bool, deeper);
    QCOMPARE(nestsDeeperThan(body, limit), deeper);
}

void tst_JsonBounds::refused_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    const QByteArray deepArrays = nested(10000, false);
    const QByteArray deepObjects = nested(10000, true);
    const QByteArray deepInside = "{\"results\":" + nested(10000, false) + "}";
    const QByteArray hundredMiB = padded(100LL * 1024 * 1024);

    for (const QString &name : parsers().keys()) {
        const bool hub = name.startsWith(u"hub");
        const QString depthMessage
            = hub ? u"nested deeper than 64 levels"_s : u"more than 64 levels deep"_s;
        QTest::addRow("%s: 10000 nested arrays", qPrintable(name))
            << name << deepArrays << depthMessage;
        QTest::addRow("%s: 10000 nested objects", qPrintable(name))
            << name << deepObjects << depthMessage;
        QTest::addRow("%s: 10000 levels inside a field", qPrintable(name))
            << name << deepInside << depthMessage;
        QTest::addRow("%s: 100 MiB document", qPrintable(name))
            << name << hundredMiB
            << (hub                 ? u"larger than 32 MiB"_s
                : name == u"config" ? u"more than the 16 MiB"_s
                                    : u"more than the 4 MiB"_s);
    }

    // Arrays past the documents' limits: refused by size before any element is read.
    const QByteArray layer = R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",)"
                             R"("digest":"sha256:)"
                             + QByteArray(64, 'a') + R"(","size":1})";
    QTest::newRow("manifest: 100000 layers (over 4 MiB)")
        << u"manifest"_s << hugeArray("layers", layer, 100000) << u"more than the 4 MiB"_s;
    QTest::newRow("config: 2 million history entries (over 16 MiB)")
        << u"config"_s << hugeArray("history", R"({"created_by":"x"})", 2000000)
        << u"more than the 16 MiB"_s;
    QTest::newRow("hub tags: 3 million results (over 32 MiB)")
        << u"hub tags"_s << hugeArray("results", R"({"name":"tag"})", 3000000)
        << u"larger than 32 MiB"_s;
    // A million elements of the wrong type: one clear error, not a million.
    QTest::newRow("config: a million numbers as diff_ids")
        << u"config"_s
        << QByteArray(R"({"architecture":"amd64","os":"linux","rootfs":)"
                      + hugeArray("diff_ids", "1", 1000000) + "}")
        << u"diff_ids"_s;
}

void tst_JsonBounds::refused()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);

    const Result<void> result = parsers().value(parser)(body);
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(message), qPrintable(result.error().message));
    QCOMPARE(result.error().kind, Error::Kind::Protocol);
}

void tst_JsonBounds::largeButLegal_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("body");

    // Within the size limits a long listing is an answer like any other: read, not refused.
    QTest::newRow("hub tags: 500000 results without names")
        << u"hub tags"_s << hugeArray("results", "{}", 500000);
    QTest::newRow("hub search: 200000 results")
        << u"hub search"_s << hugeArray("results", R"({"name":"n"})", 200000);
    QTest::newRow("hub tags: a million nulls")
        << u"hub tags"_s << hugeArray("results", "null", 1000000);
}

void tst_JsonBounds::largeButLegal()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, body);
    const Result<void> result = parsers().value(parser)(body);
    QVERIFY2(result, result ? "" : qPrintable(result.error().message));
}

QTEST_GUILESS_MAIN(tst_JsonBounds)
#include "tst_jsonbounds.moc"
