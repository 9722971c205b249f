#include "registry/imagecomparison.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::ImageConfig)

namespace {

Digest digestOf(const QString &seed)
{
    const QString hex = QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).toHex());
    return *Digest::parse(QString(u"sha256:"_s + hex));
}

// Layers named by letter; the size is the letter's position, so sums are easy to check.
QList<Descriptor> layers(const QString &names)
{
    QList<Descriptor> result;
    for (const QChar name : names) {
        Descriptor layer;
        layer.digest = digestOf(name);
        layer.size = name.unicode() - u'a' + 1;
        result.append(layer);
    }
    return result;
}

// "ab-" style: each row's first layer letter (or '-'), then its second's.
QStringList rowsText(const QList<LayerPair> &rows)
{
    QStringList text;
    for (const LayerPair &row : rows) {
        const auto letter = [](const std::optional<Descriptor> &layer) {
            return layer ? QChar(u'a' + int(layer->size) - 1) : QChar(u'-');
        };
        text.append(QString(letter(row.first)) + letter(row.second));
    }
    return text;
}

Platform platform(const QString &text)
{
    return *Platform::parse(text);
}

PlatformImage platformImage(const QString &text, qint64 size)
{
    PlatformImage image;
    image.platform = platform(text);
    image.size = size;
    return image;
}

ImageConfig baseConfig()
{
    ImageConfig config;
    config.env = {u"PATH=/usr/bin:/bin"_s, u"NODE_VERSION=20.11.0"_s};
    config.cmd = {u"node"_s};
    config.entrypoint = {u"docker-entrypoint.sh"_s};
    config.workingDir = u"/app"_s;
    config.exposedPorts = {u"3000/tcp"_s};
    config.labels = {{u"maintainer"_s, u"node"_s}};
    return config;
}

const ConfigFieldComparison &field(const QList<ConfigFieldComparison> &fields, const QString &name)
{
    for (const ConfigFieldComparison &f : fields) {
        if (f.field == name)
            return f;
    }
    qFatal("no field %s", qPrintable(name));
}

} // namespace

class tst_ImageComparison final : public QObject
{
    Q_OBJECT

private slots:
    void layerAlignment_data();
    void layerAlignment();
    void sharedCountsAndSizes();
    void configFields_data();
    void configFields();
    void configFieldOrder();
    void execForm();
    void platformSizes();
};

void tst_ImageComparison::layerAlignment_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QStringList>("rows");

    QTest::newRow("same") << u"abc"_s << u"abc"_s << QStringList{u"aa"_s, u"bb"_s, u"cc"_s};
    QTest::newRow("shared base, new top")
        << u"abc"_s << u"abd"_s << QStringList{u"aa"_s, u"bb"_s, u"c-"_s, u"-d"_s};
    QTest::newRow("second adds a layer")
        << u"ab"_s << u"abx"_s << QStringList{u"aa"_s, u"bb"_s, u"-x"_s};
    QTest::newRow("rebuilt base") << u"abc"_s << u"xbc"_s
                                  << QStringList{u"a-"_s, u"-x"_s, u"bb"_s, u"cc"_s};
    QTest::newRow("nothing shared")
        << u"ab"_s << u"xy"_s << QStringList{u"a-"_s, u"b-"_s, u"-x"_s, u"-y"_s};
    QTest::newRow("first empty") << QString() << u"ab"_s << QStringList{u"-a"_s, u"-b"_s};
    QTest::newRow("both empty") << QString() << QString() << QStringList{};
}

void tst_ImageComparison::layerAlignment()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(QStringList, rows);
    const QList<LayerPair> aligned = alignLayers(layers(first), layers(second));
    QCOMPARE(rowsText(aligned), rows);
    for (const LayerPair &row : aligned)
        QCOMPARE(row.isShared(), row.first.has_value() && row.second.has_value());
}

void tst_ImageComparison::sharedCountsAndSizes()
{
    InspectedImage a;
    a.manifest.layers = layers(u"abc"_s);
    InspectedImage b;
    b.manifest.layers = layers(u"cabd"_s); // a and b moved: shared wherever they are
    const ImageComparison comparison = compareImages(a, b);
    QCOMPARE(comparison.firstLayers, 3);
    QCOMPARE(comparison.secondLayers, 4);
    QCOMPARE(comparison.sharedLayers, 3);
    QCOMPARE(comparison.sharedSize, qint64(1 + 2 + 3));
    QCOMPARE(comparison.firstSize, qint64(6));
    QCOMPARE(comparison.secondSize, qint64(10));
    QCOMPARE(comparison.differingFields(), 0);
}

void tst_ImageComparison::configFields_data()
{
    QTest::addColumn<QString>("fieldName");
    QTest::addColumn<ImageConfig>("second");
    // "key: first | second" for each entry that differs.
    QTest::addColumn<QStringList>("differences");
    QTest::addColumn<int>("entries");

    ImageConfig config = baseConfig();
    QTest::newRow("nothing differs") << u"Env"_s << config << QStringList{} << 2;

    config = baseConfig();
    config.env = {u"NODE_VERSION=20.12.0"_s, u"PATH=/usr/bin:/bin"_s};
    QTest::newRow("Env value, order ignored")
        << u"Env"_s << config << QStringList{u"NODE_VERSION: 20.11.0 | 20.12.0"_s} << 2;

    config = baseConfig();
    config.env.append(u"YARN_VERSION=1.22"_s);
    config.env.removeFirst();
    QTest::newRow("Env added and removed")
        << u"Env"_s << config
        << QStringList{u"PATH: /usr/bin:/bin | -"_s, u"YARN_VERSION: - | 1.22"_s} << 3;

    config = baseConfig();
    config.cmd = {u"node"_s, u"server.js"_s};
    QTest::newRow("Cmd") << u"Cmd"_s << config
                         << QStringList{u": [\"node\"] | [\"node\", \"server.js\"]"_s} << 1;

    config = baseConfig();
    config.entrypoint.clear();
    QTest::newRow("Entrypoint unset")
        << u"Entrypoint"_s << config << QStringList{u": [\"docker-entrypoint.sh\"] | -"_s} << 1;

    config = baseConfig();
    config.user = u"node"_s;
    QTest::newRow("User set") << u"User"_s << config << QStringList{u": - | node"_s} << 1;

    config = baseConfig();
    config.workingDir = u"/srv"_s;
    QTest::newRow("WorkingDir") << u"WorkingDir"_s << config << QStringList{u": /app | /srv"_s}
                                << 1;

    config = baseConfig();
    config.exposedPorts = {u"3000/tcp"_s, u"9229/tcp"_s};
    QTest::newRow("ExposedPorts added")
        << u"ExposedPorts"_s << config << QStringList{u"9229/tcp: - | 9229/tcp"_s} << 2;

    config = baseConfig();
    config.labels.insert(u"maintainer"_s, u"someone else"_s);
    config.labels.insert(u"org.opencontainers.image.version"_s, u"2"_s);
    QTest::newRow("Labels") << u"Labels"_s << config
                            << QStringList{u"maintainer: node | someone else"_s,
                                           u"org.opencontainers.image.version: - | 2"_s}
                            << 2;
}

void tst_ImageComparison::configFields()
{
    QFETCH(QString, fieldName);
    QFETCH(ImageConfig, second);
    QFETCH(QStringList, differences);
    QFETCH(int, entries);

    const QList<ConfigFieldComparison> fields = compareConfigs(baseConfig(), second);
    const ConfigFieldComparison &compared = field(fields, fieldName);
    QCOMPARE(compared.entries.size(), entries);
    QStringList found;
    for (const ConfigEntry &entry : compared.entries) {
        if (entry.differs())
            found.append(entry.key + u": " + entry.first.value_or(u"-"_s) + u" | "
                         + entry.second.value_or(u"-"_s));
    }
    QCOMPARE(found, differences);
    QCOMPARE(compared.differs(), !differences.isEmpty());
    // The other settings are the same: only the one changed differs.
    for (const ConfigFieldComparison &other : fields) {
        if (other.field != fieldName)
            QVERIFY2(!other.differs(), qPrintable(other.field));
    }
}

void tst_ImageComparison::configFieldOrder()
{
    QStringList names;
    for (const ConfigFieldComparison &f : compareConfigs({}, {}))
        names.append(f.field);
    QCOMPARE(names,
             QStringList({u"Env"_s,
                          u"Cmd"_s,
                          u"Entrypoint"_s,
                          u"User"_s,
                          u"WorkingDir"_s,
                          u"ExposedPorts"_s,
                          u"Labels"_s}));
    const QList<ConfigFieldComparison> empty = compareConfigs({}, {});
    QVERIFY(!field(empty, u"User"_s).isKeyed());
    QVERIFY(field(empty, u"Env"_s).isKeyed());
    QVERIFY(field(empty, u"Env"_s).entries.isEmpty());
}

void tst_ImageComparison::execForm()
{
    ImageConfig a;
    a.cmd = {u"nginx"_s, u"-g"_s, u"daemon off;"_s};
    ImageConfig b;
    b.cmd = {u"sh"_s, u"-c"_s, u"echo \"hi\""_s};
    const ConfigEntry cmd = field(compareConfigs(a, b), u"Cmd"_s).entries.first();
    QCOMPARE(*cmd.first, uR"(["nginx", "-g", "daemon off;"])"_s);
    QCOMPARE(*cmd.second, uR"(["sh", "-c", "echo \"hi\""])"_s);
}

void tst_ImageComparison::platformSizes()
{
    PlatformImage attestation = platformImage(u"linux/amd64"_s, 1);
    attestation.platform.os = u"unknown"_s;
    attestation.platform.architecture = u"unknown"_s;
    const QList<PlatformSizes> rows = comparePlatformSizes(
        {platformImage(u"linux/amd64"_s, 100), platformImage(u"linux/arm64/v8"_s, 90), attestation},
        {platformImage(u"linux/arm/v7"_s, 70), platformImage(u"linux/amd64"_s, 120)});
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).platform.toString(), u"linux/amd64"_s);
    QCOMPARE(rows.at(0).first.value_or(-1), qint64(100));
    QCOMPARE(rows.at(0).second.value_or(-1), qint64(120));
    QCOMPARE(rows.at(1).platform.toString(), u"linux/arm64/v8"_s);
    QCOMPARE(rows.at(1).first.value_or(-1), qint64(90));
    QVERIFY(!rows.at(1).second);
    QCOMPARE(rows.at(2).platform.toString(), u"linux/arm/v7"_s);
    QVERIFY(!rows.at(2).first);
    QCOMPARE(rows.at(2).second.value_or(-1), qint64(70));
}

QTEST_GUILESS_MAIN(tst_ImageComparison)
#include "tst_imagecomparison.moc"
