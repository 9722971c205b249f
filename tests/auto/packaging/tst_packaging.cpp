// One version everywhere: CMake's project(VERSION) (compiled in as BERTH_VERSION), NEWS.md's newest
// release, the AppStream <releases> (which follow NEWS.md release by release) and debian/changelog
// agree; and the debian/ files are well formed as Debian's own tools read them, their build
// dependencies installed by scripts/setup. `make deb` itself is not run here (it builds the whole
// program again); these checks are what can go stale between two package builds.

#include "testpaths.h"

#include <QDate>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QVersionNumber>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

struct Release
{
    QString version;
    QString date; // yyyy-MM-dd

    bool operator==(const Release &) const = default;
};

QString sourcePath(const QString &relative)
{
    return QStringLiteral(BERTH_SOURCE_DIR) + u'/' + relative;
}

QString readSource(const QString &relative)
{
    QFile file(sourcePath(relative));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
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
    process.setWorkingDirectory(QStringLiteral(BERTH_SOURCE_DIR));
    process.start(program, arguments);
    Run result;
    if (!process.waitForStarted() || !process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        result.output = program + u" did not run or did not finish (run scripts/setup)";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromUtf8(process.readAll());
    return result;
}

// NEWS.md's "## 1.0.0 — 2026-12-07" headings, newest first.
QList<Release> newsReleases(const QString &news)
{
    static const QRegularExpression heading(u"^## (\\S+) — (\\d{4}-\\d{2}-\\d{2})$"_s,
                                            QRegularExpression::MultilineOption);
    QList<Release> releases;
    for (const QRegularExpressionMatch &match : heading.globalMatch(news))
        releases.append({match.captured(1), match.captured(2)});
    return releases;
}

// The metainfo's <release version= date=> elements, in the file's order.
QList<Release> appstreamReleases(const QString &metainfo)
{
    QList<Release> releases;
    QXmlStreamReader xml(metainfo);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"release") {
            releases.append({xml.attributes().value(u"version"_s).toString(),
                             xml.attributes().value(u"date"_s).toString()});
        }
    }
    return xml.hasError() ? QList<Release>{{u"XML error"_s, xml.errorString()}} : releases;
}

// The package names of a control field's relations: "a (>= 1), b | c" gives a and b.
QStringList relationNames(const QString &field)
{
    QStringList names;
    for (const QString &relation : field.split(u',', Qt::SkipEmptyParts)) {
        const QString first = relation.section(u'|', 0, 0).trimmed();
        const QString name = first.section(u' ', 0, 0).section(u'(', 0, 0).trimmed();
        if (!name.isEmpty())
            names.append(name);
    }
    return names;
}

// A deb822 field's value, its continuation lines joined.
QString controlField(const QString &control, const QString &name)
{
    const QRegularExpression field(u"^"_s + QRegularExpression::escape(name)
                                       + u":(.*(?:\\n[ \\t].*)*)"_s,
                                   QRegularExpression::MultilineOption);
    return field.match(control).captured(1).simplified();
}

// The paragraphs of a deb822 file (blank-line separated).
QStringList paragraphs(const QString &text)
{
    static const QRegularExpression blank(u"\\n[ \\t]*\\n"_s);
    return text.split(blank, Qt::SkipEmptyParts);
}

} // namespace

class tst_Packaging final : public QObject
{
    Q_OBJECT

private slots:
    void cmakeProjectIsTheCompiledVersion();
    void newsLeadsWithTheVersion();
    void appstreamReleasesFollowNews();
    void debianChangelogHasTheVersion();
    void debianControlParsesAndItsBuildDependsAreInstalled();
    void scriptsSetupInstallsTheBuildDepends();
    void debianRulesBuildsWithCMakeAndNinja();
    void copyrightIsMachineReadableWithEveryLicence();
};

void tst_Packaging::cmakeProjectIsTheCompiledVersion()
{
    static const QRegularExpression project(u"project\\(Berth VERSION (\\S+)"_s);
    const QRegularExpressionMatch match = project.match(readSource(u"CMakeLists.txt"_s));
    QVERIFY2(match.hasMatch(), "CMakeLists.txt has no project(Berth VERSION …)");
    QCOMPARE(match.captured(1), QStringLiteral(BERTH_VERSION));
    QVERIFY(!QVersionNumber::fromString(match.captured(1)).isNull());
}

void tst_Packaging::newsLeadsWithTheVersion()
{
    const QList<Release> releases = newsReleases(readSource(u"NEWS.md"_s));
    QVERIFY2(!releases.isEmpty(), "NEWS.md has no \"## VERSION — YYYY-MM-DD\" heading");
    QCOMPARE(releases.first().version, QStringLiteral(BERTH_VERSION));
    // Newest first: each version and date is below the one before it.
    for (qsizetype i = 1; i < releases.size(); ++i) {
        const Release &newer = releases.at(i - 1);
        const Release &older = releases.at(i);
        QVERIFY2(QVersionNumber::fromString(older.version)
                     < QVersionNumber::fromString(newer.version),
                 qPrintable(older.version + u" is listed after " + newer.version));
        QVERIFY2(older.date <= newer.date, qPrintable(older.date + u" after " + newer.date));
    }
    for (const Release &release : releases)
        QVERIFY2(QDate::fromString(release.date, Qt::ISODate).isValid(), qPrintable(release.date));
}

void tst_Packaging::appstreamReleasesFollowNews()
{
    const QList<Release> news = newsReleases(readSource(u"NEWS.md"_s));
    const QList<Release> appstream
        = appstreamReleases(readSource(u"resources/io.github.berth.berth.metainfo.xml"_s));
    QVERIFY(!appstream.isEmpty());
    QCOMPARE(appstream.first().version, QStringLiteral(BERTH_VERSION));
    QCOMPARE(appstream, news);
}

// A native package: its version is the project's exactly, with no Debian revision.
void tst_Packaging::debianChangelogHasTheVersion()
{
    const Run version
        = run(u"dpkg-parsechangelog"_s, {u"-l"_s, u"debian/changelog"_s, u"-S"_s, u"Version"_s});
    QVERIFY2(version.exitCode == 0, qPrintable(version.output));
    QCOMPARE(version.output.trimmed(), QStringLiteral(BERTH_VERSION));
    QCOMPARE(readSource(u"debian/source/format"_s).trimmed(), u"3.0 (native)"_s);

    const Run date
        = run(u"dpkg-parsechangelog"_s, {u"-l"_s, u"debian/changelog"_s, u"-S"_s, u"Timestamp"_s});
    QVERIFY2(date.exitCode == 0, qPrintable(date.output));
    const QString day = QDateTime::fromSecsSinceEpoch(date.output.trimmed().toLongLong(), Qt::UTC)
                            .date()
                            .toString(Qt::ISODate);
    QCOMPARE(day, newsReleases(readSource(u"NEWS.md"_s)).value(0).date);
}

void tst_Packaging::debianControlParsesAndItsBuildDependsAreInstalled()
{
    const Run check = run(u"dpkg-checkbuilddeps"_s, {u"debian/control"_s});
    QVERIFY2(check.exitCode == 0, qPrintable(check.output));
    const QString control = readSource(u"debian/control"_s);
    QCOMPARE(paragraphs(control).size(), 2); // the source and the one binary package, berth
    QCOMPARE(controlField(control, u"Source"_s), u"berth"_s);
    QCOMPARE(controlField(control, u"Package"_s), u"berth"_s);
    const QStringList depends = relationNames(controlField(control, u"Depends"_s));
    QVERIFY(depends.contains(u"${shlibs:Depends}"_s));
    QVERIFY(depends.contains(u"${misc:Depends}"_s));
    QVERIFY(
        relationNames(controlField(control, u"Build-Depends"_s)).contains(u"debhelper-compat"_s));
}

// `make deb` runs scripts/setup first: on a fresh machine, it must bring every build dependency.
void tst_Packaging::scriptsSetupInstallsTheBuildDepends()
{
    const QString setup = readSource(u"scripts/setup"_s);
    QVERIFY(!setup.isEmpty());
    const QStringList names
        = relationNames(controlField(readSource(u"debian/control"_s), u"Build-Depends"_s));
    QVERIFY(names.size() > 5);
    for (QString name : names) {
        if (name == u"debhelper-compat")
            name = u"debhelper"_s; // the virtual package debhelper provides
        const QRegularExpression word(u"(^|\\s)"_s + QRegularExpression::escape(name)
                                          + u"(\\s|$)"_s,
                                      QRegularExpression::MultilineOption);
        QVERIFY2(setup.contains(word), qPrintable(name + u" is not in scripts/setup"));
    }
}

void tst_Packaging::debianRulesBuildsWithCMakeAndNinja()
{
    QVERIFY(QFileInfo(sourcePath(u"debian/rules"_s)).isExecutable());
    const QString rules = readSource(u"debian/rules"_s);
    QVERIFY(rules.startsWith(u"#!/usr/bin/make -f\n"));
    QVERIFY(rules.contains(u"dh $@ --buildsystem=cmake+ninja"));
    QVERIFY(rules.contains(u"-DBERTH_BUILD_TESTS=OFF"));
}

// DEP-5: every licence a Files paragraph names has its text in a paragraph of its own, the
// project's is the MIT (Expat) text of LICENSE, and the bundled Breeze icons' LGPL is there.
void tst_Packaging::copyrightIsMachineReadableWithEveryLicence()
{
    const QString copyright = readSource(u"debian/copyright"_s);
    QVERIFY(copyright.startsWith(
        u"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"));
    QStringList named;
    QStringList texts;
    for (const QString &paragraph : paragraphs(copyright)) {
        const QString licence = controlField(paragraph, u"License"_s).section(u' ', 0, 0);
        (paragraph.startsWith(u"Files:") ? named : texts).append(licence);
        if (!paragraph.startsWith(u"Files:") && paragraph.startsWith(u"License:"))
            QVERIFY2(paragraph.count(u'\n') > 3, qPrintable(licence + u" has no text"));
    }
    QVERIFY(named.contains(u"Expat"_s) && named.contains(u"LGPL-3+"_s));
    for (const QString &licence : std::as_const(named))
        QVERIFY2(texts.contains(licence), qPrintable(licence + u" has no License paragraph"));

    const QString mit = readSource(u"LICENSE"_s);
    const QString grant = mit.mid(mit.indexOf(u"Permission is hereby granted")).simplified();
    QVERIFY(grant.size() > 500);
    const QString standalone = u"\n\nLicense: Expat\n"_s;
    QString expat = copyright.mid(copyright.indexOf(standalone) + standalone.size());
    expat = expat.left(expat.indexOf(u"\nLicense:")).replace(u"\n .\n"_s, u"\n"_s).simplified();
    QCOMPARE(expat, grant);
    QVERIFY(copyright.contains(u"Files: resources/LICENSE.breeze-icons\n"));
    QVERIFY(copyright.contains(u"/usr/share/common-licenses/LGPL-3"));
}

QTEST_GUILESS_MAIN(tst_Packaging)
#include "tst_packaging.moc"
