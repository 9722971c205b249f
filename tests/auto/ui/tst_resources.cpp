// The application's resources (resources/): the AppStream metainfo and the desktop entry pass the
// freedesktop validators (appstreamcli, desktop-file-validate), they agree with each other, and the
// icon is embedded in berth_ui and renders.

#include "appicon.h"
#include "icontheme.h"
#include "testpaths.h"

#include <QFile>
#include <QImage>
#include <QPixmap>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

const QString AppId = u"io.github.berth.berth"_s;

QString resourcePath(const QString &fileName)
{
    return QStringLiteral(BERTH_SOURCE_DIR) + u"/resources/" + fileName;
}

struct Run
{
    int exitCode = -1;
    QString output;
};

Run run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    Run result;
    if (!process.waitForStarted() || !process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        result.output = program + u" did not run or did not finish";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromUtf8(process.readAll());
    return result;
}

// Key=value lines of the [Desktop Entry] group.
QHash<QString, QString> desktopEntry()
{
    QHash<QString, QString> entry;
    QFile file(resourcePath(AppId + u".desktop"));
    if (!file.open(QIODevice::ReadOnly))
        return entry;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &line : lines) {
        const qsizetype equals = line.indexOf(u'=');
        if (equals > 0 && !line.startsWith(u'#'))
            entry.insert(line.left(equals), line.mid(equals + 1));
    }
    return entry;
}

} // namespace

class tst_Resources final : public QObject
{
    Q_OBJECT

private slots:
    void appstreamValidates();
    void metainfoContents();
    void desktopEntryValidates();
    void desktopEntryContents();
    void iconIsEmbeddedAndRenders();
    void bundledIconsAndTheirLicence();

private:
    void verifyScreenshots(const QStringList &images);
};

void tst_Resources::appstreamValidates()
{
    if (QStandardPaths::findExecutable(u"appstreamcli"_s).isEmpty())
        QFAIL("appstreamcli is not installed (run scripts/setup)");
    const Run r = run(
        u"appstreamcli"_s,
        {u"validate"_s, u"--pedantic"_s, u"--no-net"_s, resourcePath(AppId + u".metainfo.xml")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    // Pedantic clean: no issue line, not even a hint ("P: …", "I: …"), so the summary ends
    // with a full stop rather than a count ("Validation was successful: pedantic: 1").
    static const QRegularExpression issue(u"^[EWIP]: "_s, QRegularExpression::MultilineOption);
    QVERIFY2(!r.output.contains(issue), qPrintable(r.output));
    QVERIFY2(r.output.contains(u"Validation was successful."), qPrintable(r.output));
}

void tst_Resources::metainfoContents()
{
    QFile file(resourcePath(AppId + u".metainfo.xml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    // Each element's text and attributes by its path below <component>, e.g. "provides/binary".
    QMultiHash<QString, QString> text;
    QHash<QString, QXmlStreamAttributes> attributes;
    QStringList path;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            path.append(xml.name().toString());
            const QString key = path.mid(1).join(u'/');
            // The first element of a path wins: "releases/release" is the newest release.
            if (!xml.attributes().hasAttribute(u"xml:lang"_s) && !attributes.contains(key))
                attributes.insert(key, xml.attributes());
        } else if (xml.isCharacters() && !xml.isWhitespace() && !path.isEmpty()) {
            text.insert(path.mid(1).join(u'/'), xml.text().toString());
        } else if (xml.isEndElement()) {
            path.removeLast();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(attributes.value(QString()).value(u"type"_s), u"desktop-application"_s);
    QCOMPARE(text.value(u"id"_s), AppId);
    QCOMPARE(text.value(u"metadata_license"_s), u"CC0-1.0"_s);
    QCOMPARE(text.value(u"project_license"_s), u"MIT"_s);
    QCOMPARE(text.value(u"launchable"_s), AppId + u".desktop");
    QVERIFY(text.values(u"url"_s).contains(u"https://github.com/berth/berth"_s));
    QStringList binaries = text.values(u"provides/binary"_s);
    binaries.sort();
    QCOMPARE(binaries, (QStringList{u"berth"_s, u"berthctl"_s}));
    QVERIFY(attributes.contains(u"content_rating"_s));
    QCOMPARE(attributes.value(u"releases/release"_s).value(u"version"_s),
             QStringLiteral(BERTH_VERSION));
    verifyScreenshots(text.values(u"screenshots/screenshot/image"_s));
}

// Each screenshot is a picture of docs/screenshots at its address on the project's home page, so a
// renamed or deleted picture fails here rather than in a software centre.
void tst_Resources::verifyScreenshots(const QStringList &images)
{
    const QString prefix = u"https://raw.githubusercontent.com/berth/berth/main/"_s;
    QVERIFY(images.size() >= 3);
    for (const QString &image : images) {
        QVERIFY2(image.startsWith(prefix + u"docs/screenshots/"), qPrintable(image));
        const QString file = QStringLiteral(BERTH_SOURCE_DIR) + u'/' + image.mid(prefix.size());
        QVERIFY2(QFile::exists(file), qPrintable(file));
        QCOMPARE(QImage(file).isNull(), false);
    }
}

void tst_Resources::desktopEntryValidates()
{
    if (QStandardPaths::findExecutable(u"desktop-file-validate"_s).isEmpty())
        QFAIL("desktop-file-validate is not installed (run scripts/setup)");
    const Run r = run(u"desktop-file-validate"_s, {resourcePath(AppId + u".desktop")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    // Not even a hint: two main categories, for one, would be one (the entry would show twice).
    QVERIFY2(r.output.trimmed().isEmpty(), qPrintable(r.output));
}

void tst_Resources::desktopEntryContents()
{
    const QHash<QString, QString> entry = desktopEntry();
    QCOMPARE(entry.value(u"Name"_s), u"Berth"_s);
    QCOMPARE(entry.value(u"Icon"_s), AppId);
    QCOMPARE(entry.value(u"Exec"_s), u"berth %F"_s);
    QCOMPARE(entry.value(u"Categories"_s), u"Development;"_s);
    const QStringList types = entry.value(u"MimeType"_s).split(u';', Qt::SkipEmptyParts);
    for (const QString &type : {u"application/x-tar"_s,
                                u"application/gzip"_s,
                                u"application/x-compressed-tar"_s,
                                u"application/zstd"_s})
        QVERIFY2(types.contains(type), qPrintable(type));
    for (const QString &key : {u"GenericName[fr]"_s, u"Comment[fr]"_s, u"Name[fr]"_s}) {
        if (key == u"Name[fr]" && !entry.contains(key))
            continue; // the name is the same in French
        QVERIFY2(!entry.value(key).isEmpty(), qPrintable(key));
        QVERIFY(entry.value(key) != entry.value(key.left(key.indexOf(u'['))));
    }
}

void tst_Resources::iconIsEmbeddedAndRenders()
{
    QVERIFY(QFile::exists(Berth::appIconResource()));
    const QIcon icon = Berth::appIcon();
    QVERIFY(!icon.isNull());
    for (int size : {16, 48, 256}) {
        const QImage image = icon.pixmap(size, size).toImage();
        QCOMPARE(image.size(), QSize(size, size));
        // The rounded square is opaque in its middle: the SVG was really drawn.
        QCOMPARE(image.pixelColor(size / 2, size / 8 * 7).alpha(), 255);
    }
    // The installed file and the embedded one are the same drawing.
    QFile embedded(Berth::appIconResource());
    QFile installed(resourcePath(AppId + u".svg"));
    QVERIFY(embedded.open(QIODevice::ReadOnly) && installed.open(QIODevice::ReadOnly));
    QCOMPARE(embedded.readAll(), installed.readAll());
}

// Berth's Breeze themes are embedded with every name of resources/icons.txt, in both variants,
// and the LGPL that lets Berth ship them travels with the sources and is named in the README.
void tst_Resources::bundledIconsAndTheirLicence()
{
    const QStringList bundled = Berth::bundledIconNames();
    QFile list(resourcePath(u"icons.txt"_s));
    QVERIFY(list.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(list.readAll()).split(u'\n');
    for (const QString &line : lines) {
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        QVERIFY2(bundled.contains(line.trimmed()), qPrintable(line));
        for (const bool dark : {false, true}) {
            const QString theme = u":/icons/"_s + Berth::bundledIconTheme(dark);
            QVERIFY(QFile::exists(theme + u"/index.theme"));
            QVERIFY2(QFile::exists(theme + u"/22/" + line.trimmed() + u".svg")
                         || QFile::exists(theme + u"/16/" + line.trimmed() + u".svg"),
                     qPrintable(theme + u' ' + line));
        }
    }
    QFile licence(resourcePath(u"LICENSE.breeze-icons"_s));
    QVERIFY(licence.open(QIODevice::ReadOnly));
    const QByteArray text = licence.readAll();
    QVERIFY(text.contains("GNU LESSER GENERAL PUBLIC LICENSE"));
    QVERIFY(text.contains("Version 3"));
    QFile readme(QStringLiteral(BERTH_SOURCE_DIR) + u"/README.md");
    QVERIFY(readme.open(QIODevice::ReadOnly));
    QVERIFY(readme.readAll().contains("resources/LICENSE.breeze-icons"));
}

QTEST_MAIN(tst_Resources)
#include "tst_resources.moc"
