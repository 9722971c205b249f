// The shell completions (completions/) driven for real: bash's _berthctl called with the words
// bash would make of a command line, zsh's on a pseudo-terminal (zsh-completions.zsh), fish's
// `complete -C`. Verbs and options against berthctl's --help, option values, and the name of an
// image this test imported into an embedded store of its own.
#include "berthctlrunner.h"
#include "clihelp.h"
#include "testpaths.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString ImageName = u"berth-test/completion:1.0"_s;

QString completion(const QString &name)
{
    return QStringLiteral(BERTH_SOURCE_DIR "/completions/") + name;
}

// Calls _berthctl as bash would for `line`: COMP_WORDS are `words` (split at ':' as bash splits),
// the last one being completed. bash-completion's helpers are loaded first, as on a desktop.
const char BashDriver[] = R"sh(
completion=$1 line=$2
shift 2
source /usr/share/bash-completion/bash_completion
source "$completion"
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
_berthctl berthctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
)sh";

struct Completed
{
    QSet<QString> words;
    QByteArray err;
    int exitCode = -1;
};

Completed
run(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment)
{
    QProcess shell;
    shell.setProcessEnvironment(environment);
    shell.start(program, arguments);
    Completed completed;
    if (!shell.waitForFinished(240000))
        return completed;
    completed.exitCode = shell.exitStatus() == QProcess::NormalExit ? shell.exitCode() : -1;
    completed.err = shell.readAllStandardError();
    for (const QByteArray &line : shell.readAllStandardOutput().split('\n')) {
        // fish: "candidate<TAB>description"; zsh pads its lines with spaces.
        const QString word = QString::fromUtf8(line.split('\t').first()).trimmed();
        if (!word.isEmpty())
            completed.words.insert(word);
    }
    return completed;
}

QString text(const QSet<QString> &words)
{
    return listed(words);
}

} // namespace

class TestCompletions final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    CliHelp m_cli;
    QString m_imageId; // sha256:…, as berthctl import printed it

    Completed bash(const QString &line, const QStringList &words, QProcessEnvironment env = {})
    {
        if (env.isEmpty())
            env = m_env;
        return run(u"bash"_s,
                   QStringList{u"-c"_s,
                               QString::fromUtf8(BashDriver),
                               u"bash"_s,
                               completion(u"berthctl.bash"_s),
                               line}
                       + words,
                   env);
    }

    Completed zsh(const QString &line)
    {
        return run(u"zsh"_s,
                   {u"-f"_s,
                    QStringLiteral(BERTH_SOURCE_DIR "/tests/auto/cli/zsh-completions.zsh"),
                    QStringLiteral(BERTH_SOURCE_DIR "/completions"),
                    line},
                   m_env);
    }

    // `line` completed by `shell`; `words` are bash's.
    Completed complete(const QString &shell, const QString &line, const QStringList &words)
    {
        if (shell == u"bash")
            return bash(line, words);
        return shell == u"zsh" ? zsh(line) : fish(line);
    }

    Completed fish(const QString &line)
    {
        return run(u"fish"_s,
                   {u"--no-config"_s,
                    u"-c"_s,
                    u"source $argv[1]; complete -C $argv[2]"_s,
                    completion(u"berthctl.fish"_s),
                    line},
                   m_env);
    }

    // An image in the test's own embedded store, imported from a one-file tar.
    void importImage()
    {
        const QString root = m_home.filePath(u"root"_s);
        QVERIFY(QDir().mkpath(root + u"/etc"_s));
        QFile file(root + u"/etc/hello"_s);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("hello\n");
        file.close();
        QProcess tar;
        tar.start(u"tar"_s, {u"-C"_s, root, u"-cf"_s, m_home.filePath(u"fs.tar"_s), u"."_s});
        QVERIFY(tar.waitForFinished(60000));
        QCOMPARE(tar.exitCode(), 0);
        const CtlRun imported = runBerthctl(
            {u"import"_s, u"--backend"_s, u"embedded"_s, m_home.filePath(u"fs.tar"_s), ImageName},
            m_env);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        m_imageId = QString::fromUtf8(imported.out.trimmed());
        QVERIFY2(m_imageId.startsWith(u"sha256:"), imported.out.constData());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"HOME"_s, m_home.path());
        m_env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u".config"_s));
        m_env.insert(u"XDG_DATA_HOME"_s, m_home.filePath(u".local/share"_s));
        m_env.insert(u"XDG_CACHE_HOME"_s, m_home.filePath(u".cache"_s));
        m_env.insert(u"BERTH_STORE"_s, m_home.filePath(u"store"_s));
        // The store of this test, not an engine of the services another test started.
        m_env.insert(u"BERTH_BACKEND"_s, u"embedded"_s);
        // The completions run berthctl from PATH; under ASan, on a busy machine, it may take
        // longer than the two seconds a user's completion waits.
        m_env.insert(u"PATH"_s,
                     berthctlPath().section(u'/', 0, -2) + u':' + m_env.value(u"PATH"_s));
        m_env.insert(u"BERTHCTL_COMPLETION_TIMEOUT"_s, u"120"_s);
        m_cli = readCliHelp(m_env);
        QVERIFY(m_cli.verbs.size() > 20);
        importImage();
    }

    void syntax_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<QString>("file");
        QTest::newRow("bash") << u"bash"_s << u"berthctl.bash"_s;
        QTest::newRow("zsh") << u"zsh"_s << u"_berthctl"_s;
        QTest::newRow("fish") << u"fish"_s << u"berthctl.fish"_s;
    }

    void syntax()
    {
        QFETCH(QString, shell);
        QFETCH(QString, file);
        QProcess check;
        check.start(shell, {u"-n"_s, completion(file)});
        QVERIFY(check.waitForFinished(60000));
        QCOMPARE(check.readAllStandardError(), QByteArray());
        QCOMPARE(check.exitCode(), 0);
    }

    void verbs_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::newRow("bash") << u"bash"_s;
        QTest::newRow("zsh") << u"zsh"_s;
        QTest::newRow("fish") << u"fish"_s;
    }

    // Every verb the CLI lists, and nothing else (bash adds --help and --version; zsh and fish
    // offer options only when a dash is typed).
    void verbs()
    {
        QFETCH(QString, shell);
        QSet<QString> expected;
        for (const QString &verb : m_cli.verbs)
            expected.insert(verb.section(u' ', 0, 0));
        Completed got = complete(shell, u"berthctl "_s, {u"berthctl"_s, QString()});
        QVERIFY2(got.err.isEmpty(), got.err.constData());
        if (shell == u"bash")
            expected << u"--help"_s << u"--version"_s;
        QVERIFY2(got.words == expected,
                 qPrintable(
                     u"completed %1; berthctl --help: %2"_s.arg(text(got.words), text(expected))));
        const Completed manifest
            = shell == u"bash"
                  ? bash(u"berthctl manifest "_s, {u"berthctl"_s, u"manifest"_s, QString()})
                  : fish(u"berthctl manifest "_s);
        QSet<QString> sub;
        for (const QString &verb : m_cli.verbs) {
            if (verb.startsWith(u"manifest "))
                sub.insert(verb.section(u' ', 1));
        }
        QVERIFY(!sub.isEmpty());
        QVERIFY2(sub - manifest.words == QSet<QString>(), qPrintable(text(manifest.words)));
    }

    void verbOptions_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<QString>("verb");
        for (const QString &shell : {u"bash"_s, u"zsh"_s, u"fish"_s}) {
            for (const QString &verb : std::as_const(m_cli.verbs))
                QTest::newRow(qPrintable(shell + u' ' + verb)) << shell << verb;
        }
    }

    // `berthctl VERB -<TAB>`: the verb's options exactly, its own and the common ones.
    void verbOptions()
    {
        QFETCH(QString, shell);
        QFETCH(QString, verb);
        const QSet<QString> expected = helpFlags(m_cli.help.value(verb));
        QVERIFY(expected.contains(u"--help"_s));
        const QString line = u"berthctl "_s + verb + u" -"_s;
        const Completed got = complete(shell, line, line.split(u' '));
        QVERIFY2(got.err.isEmpty(), got.err.constData());
        QVERIFY2(got.words == expected,
                 qPrintable(u"%1 completes %2; its --help lists %3"_s.arg(
                     line, text(got.words), text(expected))));
    }

    void optionValues_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("backend") << u"berthctl images --backend "_s
                                 << QStringList{u"auto"_s, u"docker"_s, u"podman"_s, u"embedded"_s};
        QTest::newRow("format") << u"berthctl tags --format "_s
                                << QStringList{u"text"_s, u"json"_s};
        QTest::newRow("sort") << u"berthctl search --sort "_s
                              << QStringList{u"best"_s, u"pulls"_s, u"updated"_s};
        QTest::newRow("compress") << u"berthctl save --compress "_s
                                  << QStringList{
                                         u"none"_s, u"gzip"_s, u"zstd"_s, u"xz"_s, u"bzip2"_s};
        QTest::newRow("platform") << u"berthctl pull --platform linux/a"_s
                                  << QStringList{u"linux/amd64"_s, u"linux/arm64"_s};
    }

    void optionValues()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, expected);
        QStringList words = line.split(u' ');
        for (const QString &shell : {u"bash"_s, u"zsh"_s, u"fish"_s}) {
            const Completed got = complete(shell, line, words);
            for (const QString &value : expected)
                QVERIFY2(got.words.contains(value), qPrintable(shell + u": "_s + text(got.words)));
        }
    }

    void imageNames_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("words"); // as bash splits the line, at ':' too
        QTest::addColumn<QString>("expected");  // bash's; fish always completes the whole name
        QTest::newRow("rmi") << u"berthctl rmi "_s
                             << QStringList{u"berthctl"_s, u"rmi"_s, QString()} << ImageName;
        QTest::newRow("prefix") << u"berthctl history berth-test/comp"_s
                                << QStringList{u"berthctl"_s, u"history"_s, u"berth-test/comp"_s}
                                << ImageName;
        // bash made three words of "berth-test/completion:1": the reply is what follows the ':'.
        QTest::newRow("after the colon")
            << u"berthctl save berth-test/completion:1"_s
            << QStringList{u"berthctl"_s, u"save"_s, u"berth-test/completion"_s, u":"_s, u"1"_s}
            << u"1.0"_s;
        QTest::newRow("explicit backend")
            << u"berthctl ls --backend embedded "_s
            << QStringList{u"berthctl"_s, u"ls"_s, u"--backend"_s, u"embedded"_s, QString()}
            << ImageName;
    }

    void imageNames()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, words);
        QFETCH(QString, expected);
        const Completed bashed = bash(line, words);
        QVERIFY2(bashed.err.isEmpty(), bashed.err.constData());
        QVERIFY2(bashed.words == QSet<QString>{expected}, qPrintable(text(bashed.words)));
        for (const QString &shell : {u"zsh"_s, u"fish"_s}) {
            const Completed got = complete(shell, line, words);
            QVERIFY2(got.err.isEmpty(), got.err.constData());
            QVERIFY2(got.words.contains(ImageName), qPrintable(shell + u": "_s + text(got.words)));
        }
    }

    // What the completions read, and docker's -q: one line per tag, nothing else.
    void imagesListsForScripts_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected"); // %1: the short image ID
        QTest::newRow("names") << QStringList{u"--format"_s, u"{{.Repository}}:{{.Tag}}"_s}
                               << ImageName;
        QTest::newRow("quiet") << QStringList{u"-q"_s} << u"%1"_s;
        QTest::newRow("fields") << QStringList{u"--format"_s, u"{{.ID}} {{ .Repository }}"_s}
                                << u"%1 berth-test/completion"_s;
    }

    void imagesListsForScripts()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const CtlRun run = runBerthctl(QStringList{u"images"_s} + arguments, m_env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString id = m_imageId.mid(7, 12);
        QCOMPARE(QString::fromUtf8(run.out), QString(expected).replace(u"%1"_s, id) + u'\n');
    }

    // An engine that does not answer: no names, no message on the terminal.
    void silentWithoutBackend()
    {
        QProcessEnvironment env = m_env;
        env.insert(u"DOCKER_HOST"_s, u"unix://"_s + m_home.filePath(u"no-such.sock"_s));
        env.insert(u"BERTHCTL_COMPLETION_TIMEOUT"_s, u"2"_s);
        const QString line = u"berthctl rmi --backend docker "_s;
        const Completed got
            = bash(line, {u"berthctl"_s, u"rmi"_s, u"--backend"_s, u"docker"_s, QString()}, env);
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.err, QByteArray());
        QCOMPARE(got.words, QSet<QString>());
        // The same store answers through the embedded backend: the silence was the engine's.
        const Completed embedded = bash(u"berthctl rmi "_s, {u"berthctl"_s, u"rmi"_s, QString()});
        QVERIFY(embedded.words.contains(ImageName));
    }
};

QTEST_GUILESS_MAIN(TestCompletions)
#include "tst_completions.moc"
