// docs/man/berthctl.1 and berth.1 against the built programs: every verb `berthctl --help` lists
// (and `berthctl manifest --help`'s) has its subsection, every option of every verb's --help its
// entry, and the pages document nothing the programs no longer have; every environment variable
// the sources read is in an ENVIRONMENT section; both pages render without a groff warning.
#include "berthctlrunner.h"
#include "clihelp.h"
#include "testpaths.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

using Flags = QSet<QString>;

QString manPage(const QString &name)
{
    return QStringLiteral(BERTH_SOURCE_DIR "/docs/man/") + name;
}

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// A page's lines from `.SH title` to the next .SH.
QStringList section(const QString &page, const QString &title)
{
    QStringList lines;
    bool inside = false;
    for (const QString &line : readText(manPage(page)).split(u'\n')) {
        if (line.startsWith(u".SH ")) {
            inside = line.mid(4).remove(u'"') == title;
            continue;
        }
        if (inside)
            lines.append(line);
    }
    return lines;
}

// The options an entry's tag line names: `.BR \-q ", " \-\-quiet`, `.BI \-\-top " N"`.
Flags tagFlags(const QString &line)
{
    static const QRegularExpression option(
        uR"re((?<![\w\\-])\\-(\\-[a-z][a-z0-9\\-]*|[a-zA-Z])(?![\w]))re"_s);
    Flags flags;
    for (const auto &match : option.globalMatch(line)) {
        QString name = match.captured(1);
        name.replace(u"\\-"_s, u"-"_s);
        flags.insert(u'-' + name);
    }
    return flags;
}

// The options of the .TP entries among `lines`.
Flags entryFlags(const QStringList &lines)
{
    Flags flags;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (lines.at(i) == u".TP" || lines.at(i) == u".TQ")
            flags |= tagFlags(lines.at(i + 1));
    }
    return flags;
}

// COMMANDS' subsections by verb: `.SS "berthctl manifest create [\fIoptions\fP] …"` is
// "manifest create".
QHash<QString, QStringList> verbSubsections()
{
    static const QRegularExpression word(u"^[a-z]+$"_s);
    QHash<QString, QStringList> verbs;
    QString current;
    for (const QString &line : section(u"berthctl.1"_s, u"COMMANDS"_s)) {
        if (line.startsWith(u".SS ")) {
            QStringList words = line.mid(4).remove(u'"').split(u' ', Qt::SkipEmptyParts);
            QStringList verb;
            for (qsizetype i = 1; i < words.size() && word.match(words.at(i)).hasMatch(); ++i)
                verb.append(words.at(i));
            current = words.value(0) == u"berthctl" ? verb.join(u' ') : QString();
            verbs.insert(current, {});
            continue;
        }
        verbs[current].append(line);
    }
    verbs.remove(QString());
    return verbs;
}

QProcessEnvironment quietEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/.config"_s);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/.local/share"_s);
    env.insert(u"XDG_CACHE_HOME"_s, home + u"/.cache"_s);
    env.insert(u"BERTH_STORE"_s, home + u"/store"_s);
    return env;
}

} // namespace

class TestManPages final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QStringList m_verbs;

    QHash<QString, QByteArray> m_help; // each verb's --help

    CtlRun ctl(const QStringList &arguments)
    {
        return runBerthctl(arguments, quietEnvironment(m_home.path()));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        const CliHelp cli = readCliHelp(quietEnvironment(m_home.path()));
        m_verbs = cli.verbs;
        m_help = cli.help;
    }

    void everyVerbHasItsSubsection()
    {
        const QStringList &verbs = m_verbs;
        QVERIFY2(verbs.size() > 20, qPrintable(verbs.join(u' ')));
        QVERIFY(verbs.contains(u"manifest push"_s));
        const QStringList documented = verbSubsections().keys();
        for (const QString &verb : verbs)
            QVERIFY2(
                documented.contains(verb),
                qPrintable(u"berthctl.1 has no .SS \"berthctl %1\" under COMMANDS"_s.arg(verb)));
        for (const QString &verb : documented)
            QVERIFY2(verbs.contains(verb),
                     qPrintable(u"berthctl.1 documents \"berthctl %1\", which berthctl --help does "
                                "not list"_s.arg(verb)));
    }

    void verbOptionsDocumented_data()
    {
        QTest::addColumn<QString>("verb");
        for (const QString &verb : m_verbs)
            QTest::newRow(qPrintable(verb)) << verb;
    }

    // The verb's own options under its subsection, the shared ones under COMMON OPTIONS, and
    // nothing the verb does not take.
    void verbOptionsDocumented()
    {
        QFETCH(QString, verb);
        const QByteArray help = m_help.value(verb);
        const Flags cli = helpFlags(help);
        QVERIFY2(cli.contains(u"--help"_s), help.constData());
        const Flags common = entryFlags(section(u"berthctl.1"_s, u"COMMON OPTIONS"_s));
        QVERIFY(common.contains(u"--format"_s));
        const Flags missingCommon = common - cli;
        QVERIFY2(missingCommon.isEmpty(),
                 qPrintable(u"COMMON OPTIONS lists %1, which %2 does not take"_s.arg(
                     listed(missingCommon), verb)));
        const Flags documented = entryFlags(verbSubsections().value(verb));
        const Flags undocumented = cli - common - documented;
        QVERIFY2(
            undocumented.isEmpty(),
            qPrintable(u"berthctl.1 does not document %1 of %2"_s.arg(listed(undocumented), verb)));
        const Flags gone = documented - cli;
        QVERIFY2(gone.isEmpty(),
                 qPrintable(u"berthctl.1 documents %1 for %2, which it does not take"_s.arg(
                     listed(gone), verb)));
    }

    void usageNamesTheVerb_data() { verbOptionsDocumented_data(); }

    // Each verb's usage line names it as the synopsis does ("berthctl manifest push"), not
    // the binary's path.
    void usageNamesTheVerb()
    {
        QFETCH(QString, verb);
        const QString usage = QString::fromUtf8(m_help.value(verb)).section(u'\n', 0, 0);
        QVERIFY2(usage.startsWith(u"Usage: berthctl "_s + verb + u' '), qPrintable(usage));
    }

    // berth --help against berth.1's OPTIONS (up to its "Qt options" subsection).
    void berthOptionsDocumented()
    {
        QProcess berth;
        QProcessEnvironment env = quietEnvironment(m_home.path());
        env.remove(u"DISPLAY"_s);
        env.remove(u"WAYLAND_DISPLAY"_s);
        env.remove(u"QT_QPA_PLATFORM"_s); // --help needs no display at all
        berth.setProcessEnvironment(env);
        berth.start(qEnvironmentVariable("BERTH_BIN_DIR") + u"/berth"_s, {u"--help"_s});
        QVERIFY(berth.waitForFinished(60000));
        QCOMPARE(berth.exitStatus(), QProcess::NormalExit);
        QCOMPARE(berth.exitCode(), 0);
        const Flags cli = helpFlags(berth.readAllStandardOutput());
        QVERIFY(cli.contains(u"--version"_s));
        QStringList options = section(u"berth.1"_s, u"OPTIONS"_s);
        options = options.mid(0, options.indexOf(u".SS Qt options"_s));
        const Flags documented = entryFlags(options);
        QVERIFY2(
            cli == documented,
            qPrintable(u"berth --help: %1; berth.1: %2"_s.arg(listed(cli), listed(documented))));
    }

    // The fields berthctl images --format '{{.Field}}' takes, named by its own error message.
    void imagesTemplateFieldsDocumented()
    {
        const CtlRun run
            = ctl({u"images"_s, u"--backend"_s, u"embedded"_s, u"--format"_s, u"{{.NoSuch}}"_s});
        QCOMPARE(run.exitCode, 2);
        static const QRegularExpression field(u"\\.([A-Z][A-Za-z]+)"_s);
        const QString message = QString::fromUtf8(run.err).section(u"use "_s, 1);
        const QString page = readText(manPage(u"berthctl.1"_s));
        int fields = 0;
        for (const auto &match : field.globalMatch(message)) {
            ++fields;
            QVERIFY2(page.contains(u".B .%1"_s.arg(match.captured(1)))
                         || page.contains(u".BR .%1 "_s.arg(match.captured(1))),
                     qPrintable(u"berthctl.1 does not name the images field .%1"_s.arg(
                         match.captured(1))));
        }
        QVERIFY2(fields >= 3, run.err.constData());
    }

    void environmentDocumented_data()
    {
        QTest::addColumn<QString>("variable");
        // qEnvironmentVariable("X"), qEnvironmentVariableIsSet…, qgetenv, and the proxy
        // variables read in pairs (proxyVariable("http_proxy", "HTTP_PROXY")).
        static const QRegularExpression read(
            uR"re((?:qEnvironmentVariable\w*|qgetenv|getenv|proxyVariable)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"(?:,\s*"([A-Za-z_][A-Za-z0-9_]*)")?)re"_s);
        QSet<QString> variables;
        for (const char *dir : {"core", "cli", "app", "models", "ui"}) {
            QDirIterator files(QStringLiteral(BERTH_SOURCE_DIR "/") + QLatin1String(dir),
                               {u"*.cpp"_s, u"*.h"_s},
                               QDir::Files,
                               QDirIterator::Subdirectories);
            while (files.hasNext()) {
                for (const auto &match : read.globalMatch(readText(files.next()))) {
                    variables.insert(match.captured(1));
                    if (match.hasCaptured(2))
                        variables.insert(match.captured(2));
                }
            }
        }
        QVERIFY(variables.contains(u"DOCKER_CONFIG"_s));
        for (const QString &variable : variables)
            QTest::newRow(qPrintable(variable)) << variable;
    }

    void environmentDocumented()
    {
        QFETCH(QString, variable);
        const QString documented = section(u"berthctl.1"_s, u"ENVIRONMENT"_s).join(u'\n')
                                   + section(u"berth.1"_s, u"ENVIRONMENT"_s).join(u'\n');
        QVERIFY2(
            documented.contains(QRegularExpression(u"\\b%1\\b"_s.arg(variable))),
            qPrintable(u"%1 is read by the sources but in no ENVIRONMENT section"_s.arg(variable)));
    }

    void rendersWithoutWarnings_data()
    {
        QTest::addColumn<QString>("page");
        QTest::newRow("berthctl.1") << u"berthctl.1"_s;
        QTest::newRow("berth.1") << u"berth.1"_s;
    }

    void rendersWithoutWarnings()
    {
        QFETCH(QString, page);
        QProcess groff;
        groff.start(u"groff"_s, {u"-ww"_s, u"-man"_s, u"-z"_s, manPage(page)});
        QVERIFY(groff.waitForFinished(60000));
        QCOMPARE(groff.readAllStandardError(), QByteArray());
        QCOMPARE(groff.exitCode(), 0);
        // man-db's own check, as a user's `man` would render it.
        QProcess man;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MANWIDTH"_s, u"80"_s);
        man.setProcessEnvironment(env);
        man.start(u"man"_s, {u"--warnings"_s, u"-E"_s, u"UTF-8"_s, u"-l"_s, manPage(page)});
        QVERIFY(man.waitForFinished(60000));
        QCOMPARE(man.readAllStandardError(), QByteArray());
        QCOMPARE(man.exitCode(), 0);
        QVERIFY(man.readAllStandardOutput().contains("SYNOPSIS"));
    }
};

QTEST_GUILESS_MAIN(TestManPages)
#include "tst_manpages.moc"
