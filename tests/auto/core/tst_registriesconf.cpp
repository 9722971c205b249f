// registries.conf v2 (core/network/registriesconf): which files podman reads and in which order,
// each file's TOML turned into rules (problems with file and line for what cannot be used), and
// what the merged rules answer for a repository: the matching rule, the pull sources (mirrors
// honouring pull-from-mirror and mirror-by-digest-only, then the location), the push destination,
// blocked and insecure registries, short names. Temporary files stand for /etc and $HOME.

#include "network/registriesconf.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

RegistriesConf parsed(const QByteArray &text)
{
    RegistriesConf conf;
    conf.merge(u"test.conf"_s, text);
    return conf;
}

QStringList problemLines(const RegistriesConf &conf)
{
    QStringList lines;
    for (const RegistriesConfProblem &p : conf.problems())
        lines.append(p.toString());
    return lines;
}

// "registry/repository[ mirror][ insecure]" per source.
QStringList describe(const QList<PullSource> &sources)
{
    QStringList out;
    for (const PullSource &s : sources)
        out.append(s.name() + (s.mirror ? u" mirror"_s : QString())
                   + (s.insecure ? u" insecure"_s : QString()));
    return out;
}

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

const QByteArray Mirrors = R"(
unqualified-search-registries = ["registry.example.com", "docker.io"]

[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror-a.example.com"
[[registry.mirror]]
location = "mirror-b.example.com:5000/cache"
insecure = true
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "mirror-c.example.com"
pull-from-mirror = "tag-only"

[[registry]]
prefix = "example.test/team"
location = "127.0.0.1:5000/berth"

[[registry]]
location = "quay.io"
mirror-by-digest-only = true
[[registry.mirror]]
location = "quay-mirror.example.com"

[[registry]]
prefix = "*.internal.example"
blocked = true

[[registry]]
prefix = "example.test/team/secret"
location = "example.test/team/secret"
blocked = true

[[registry]]
location = "plain.example.com:8080"
insecure = true
)";

} // namespace

class tst_RegistriesConf final : public QObject
{
    Q_OBJECT

private slots:
    void problems_data();
    void problems();
    void keepsTheRestOfAFileWithABadValue();
    void pullSources_data();
    void pullSources();
    void pushDestination_data();
    void pushDestination();
    void blocked_data();
    void blocked();
    void insecure();
    void laterFilesOverride();
    void shortNames_data();
    void shortNames();
    void filesInPrecedence();
    void loadReportsUnreadableAndMalformedFiles();
    void hostileInput_data();
    void hostileInput();
};

void tst_RegistriesConf::problems_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("expected"); // the problems, "file:line: message" prefixes

    QTest::newRow("empty") << QByteArray() << QStringList();
    QTest::newRow("comments only") << QByteArray("# nothing\n\n# at all\n") << QStringList();
    QTest::newRow("unclosed table") << QByteArray("a = 1\n\n[[registry\nprefix = \"x\"\n")
                                    << QStringList{u"test.conf:3: not valid TOML"_s};
    QTest::newRow("duplicate key")
        << QByteArray("[[registry]]\nlocation = \"a.io\"\nlocation = \"b.io\"\n")
        << QStringList{u"test.conf:3: not valid TOML"_s};
    QTest::newRow("version 1") << QByteArray("[registries.search]\nregistries = ['docker.io']\n")
                               << QStringList{u"test.conf:1: uses the version 1 format"_s};
    QTest::newRow("unknown pull-from-mirror")
        << QByteArray("[[registry]]\nlocation = \"a.io\"\n[[registry.mirror]]\nlocation = "
                      "\"m.io\"\npull-from-mirror = \"sometimes\"\n")
        << QStringList{u"test.conf:5: A mirror of a.io: pull-from-mirror is 'sometimes'"_s};
    QTest::newRow("mirror without location")
        << QByteArray("[[registry]]\nlocation = \"a.io\"\n[[registry.mirror]]\ninsecure = true\n")
        << QStringList{u"test.conf:3: A mirror of a.io: it has no location"_s};
    QTest::newRow("location with scheme")
        << QByteArray("[[registry]]\nprefix = \"a.io\"\nlocation = \"https://b.io\"\n")
        << QStringList{u"test.conf:3: The [[registry]] a.io: location is 'https://b.io'"_s};
    QTest::newRow("location with a tag")
        << QByteArray("[[registry]]\nprefix = \"a.io\"\nlocation = \"b.io/x:1\"\n")
        << QStringList{
               u"test.conf:3: The [[registry]] a.io: location is 'b.io/x:1', which is not"_s};
    QTest::newRow("location not a host")
        << QByteArray("[[registry]]\nlocation = \"team/app\"\n")
        << QStringList{u"test.conf:2: A [[registry]] prefix is 'team/app', whose first part"_s};
    QTest::newRow("wildcard in the middle")
        << QByteArray("[[registry]]\nprefix = \"a.*.io\"\nlocation = \"b.io\"\n")
        << QStringList{
               u"test.conf:2: A [[registry]] prefix is 'a.*.io', with a wildcard in the wrong place"_s};
    QTest::newRow("wildcard with a path")
        << QByteArray("[[registry]]\nprefix = \"*.a.io/team\"\n")
        << QStringList{u"test.conf:2: A [[registry]] prefix is '*.a.io/team', with a wildcard"_s};
    QTest::newRow("neither prefix nor location")
        << QByteArray("[[registry]]\ninsecure = true\n")
        << QStringList{u"test.conf:1: A [[registry]] has neither a prefix nor a location"_s};
    QTest::newRow("insecure not a boolean")
        << QByteArray("[[registry]]\nlocation = \"a.io\"\ninsecure = \"yes\"\n")
        << QStringList{u"test.conf:3: The [[registry]] a.io: insecure must be true or false"_s};
    QTest::newRow("registry not an array")
        << QByteArray("registry = 5\n") << QStringList{u"test.conf:1: registry must be a list"_s};
    QTest::newRow("search not a list")
        << QByteArray("unqualified-search-registries = \"docker.io\"\n")
        << QStringList{u"test.conf:1: unqualified-search-registries must be a list"_s};
    QTest::newRow("search entry a repository")
        << QByteArray("unqualified-search-registries = [\"docker.io/library\"]\n")
        << QStringList{
               u"test.conf:1: unqualified-search-registries: docker.io/library is a repository"_s};
    QTest::newRow("alias not a string")
        << QByteArray("[aliases]\nbusybox = 3\n")
        << QStringList{u"test.conf:2: The alias busybox is not a string"_s};
    QTest::newRow("valid file") << Mirrors << QStringList();
}

void tst_RegistriesConf::problems()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, expected);
    const QStringList actual = problemLines(parsed(text));
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(actual.at(i).startsWith(expected.at(i)), qPrintable(actual.at(i)));
}

void tst_RegistriesConf::keepsTheRestOfAFileWithABadValue()
{
    const RegistriesConf conf = parsed(R"(
[[registry]]
location = "a.io"
[[registry.mirror]]
location = "bad mirror"
[[registry.mirror]]
location = "good.mirror.io"

[[registry]]
prefix = "b.io"
location = "ftp://b.io"

[[registry]]
prefix = "c.io"
blocked = "yes"
)");
    QCOMPARE(conf.problems().size(), 3);
    QCOMPARE(describe(conf.pullSources(u"a.io/x"_s, false)),
             (QStringList{u"good.mirror.io/x mirror"_s, u"a.io/x"_s}));
    QVERIFY(!conf.match(u"b.io/x"_s));
    // A typo in blocked keeps the registry blocked rather than opening it.
    QVERIFY(conf.blockedBy(u"c.io/x"_s));
}

void tst_RegistriesConf::pullSources_data()
{
    QTest::addColumn<QString>("repository");
    QTest::addColumn<bool>("byDigest");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("docker.io by tag")
        << u"docker.io/library/busybox"_s << false
        << QStringList{u"mirror-a.example.com/library/busybox mirror"_s,
                       u"mirror-c.example.com/library/busybox mirror"_s,
                       u"docker.io/library/busybox"_s};
    QTest::newRow("docker.io by digest")
        << u"docker.io/library/busybox"_s << true
        << QStringList{u"mirror-a.example.com/library/busybox mirror"_s,
                       u"mirror-b.example.com:5000/cache/library/busybox mirror insecure"_s,
                       u"docker.io/library/busybox"_s};
    QTest::newRow("mirror-by-digest-only, by tag")
        << u"quay.io/podman/stable"_s << false << QStringList{u"quay.io/podman/stable"_s};
    QTest::newRow("mirror-by-digest-only, by digest")
        << u"quay.io/podman/stable"_s << true
        << QStringList{u"quay-mirror.example.com/podman/stable mirror"_s,
                       u"quay.io/podman/stable"_s};
    QTest::newRow("prefix rewritten") << u"example.test/team/busybox"_s << false
                                      << QStringList{u"127.0.0.1:5000/berth/busybox"_s};
    QTest::newRow("prefix itself rewritten")
        << u"example.test/team"_s << false << QStringList{u"127.0.0.1:5000/berth"_s};
    QTest::newRow("not at a path boundary")
        << u"example.test/teamwork/app"_s << false << QStringList{u"example.test/teamwork/app"_s};
    QTest::newRow("no rule") << u"ghcr.io/owner/app"_s << false
                             << QStringList{u"ghcr.io/owner/app"_s};
    QTest::newRow("insecure location") << u"plain.example.com:8080/app"_s << false
                                       << QStringList{u"plain.example.com:8080/app insecure"_s};
    QTest::newRow("wildcard keeps the host")
        << u"a.internal.example/x"_s << false << QStringList{u"a.internal.example/x"_s};
}

void tst_RegistriesConf::pullSources()
{
    QFETCH(QString, repository);
    QFETCH(bool, byDigest);
    QFETCH(QStringList, expected);
    const RegistriesConf conf = parsed(Mirrors);
    QCOMPARE(describe(conf.pullSources(repository, byDigest)), expected);
}

void tst_RegistriesConf::pushDestination_data()
{
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QString>("expected");
    QTest::newRow("mirrors never")
        << u"docker.io/library/busybox"_s << u"docker.io/library/busybox"_s;
    QTest::newRow("rewritten") << u"example.test/team/a/b"_s << u"127.0.0.1:5000/berth/a/b"_s;
    QTest::newRow("no rule") << u"localhost:5000/x"_s << u"localhost:5000/x"_s;
}

void tst_RegistriesConf::pushDestination()
{
    QFETCH(QString, repository);
    QFETCH(QString, expected);
    const PullSource destination = parsed(Mirrors).pushDestination(repository);
    QCOMPARE(destination.name(), expected);
    QVERIFY(!destination.mirror);
}

void tst_RegistriesConf::blocked_data()
{
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QString>("blockedBy"); // the prefix, empty when not blocked
    QTest::newRow("wildcard host") << u"build.internal.example/app"_s << u"*.internal.example"_s;
    QTest::newRow("deeper host") << u"a.b.internal.example/app"_s << u"*.internal.example"_s;
    QTest::newRow("wildcard host with a port")
        << u"build.internal.example:5000/app"_s << u"*.internal.example"_s;
    QTest::newRow("the domain itself is not under the wildcard")
        << u"internal.example/app"_s << QString();
    QTest::newRow("longest prefix wins")
        << u"example.test/team/secret/x"_s << u"example.test/team/secret"_s;
    QTest::newRow("shorter prefix not blocked") << u"example.test/team/open"_s << QString();
    QTest::newRow("unrelated") << u"docker.io/library/busybox"_s << QString();
}

void tst_RegistriesConf::blocked()
{
    QFETCH(QString, repository);
    QFETCH(QString, blockedBy);
    const RegistriesConf conf = parsed(Mirrors);
    const RegistryRule *rule = conf.blockedBy(repository);
    QCOMPARE(rule ? rule->prefix : QString(), blockedBy);
    if (rule)
        QCOMPARE(rule->file, u"test.conf"_s);
}

void tst_RegistriesConf::insecure()
{
    const RegistriesConf conf = parsed(Mirrors);
    QVERIFY(conf.isInsecure(u"mirror-b.example.com:5000"_s));
    QVERIFY(conf.isInsecure(u"plain.example.com:8080"_s));
    QVERIFY(!conf.isInsecure(u"docker.io"_s));
    QVERIFY(!conf.isInsecure(u"mirror-a.example.com"_s));
    QCOMPARE(conf.insecureRegistries().size(), 2);
}

void tst_RegistriesConf::laterFilesOverride()
{
    RegistriesConf conf;
    conf.merge(u"/etc/containers/registries.conf"_s, Mirrors);
    conf.merge(u"/etc/containers/registries.conf.d/50-team.conf"_s, R"(
[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "team-mirror.example.com"
[aliases]
busybox = "quay.io/team/busybox"
)");
    conf.merge(u"/home/u/.config/containers/registries.conf.d/90.conf"_s,
               "unqualified-search-registries = [\"quay.io\"]\n");
    QCOMPARE(describe(conf.pullSources(u"docker.io/library/busybox"_s, false)),
             (QStringList{u"team-mirror.example.com/library/busybox mirror"_s,
                          u"docker.io/library/busybox"_s}));
    QCOMPARE(conf.match(u"docker.io/x/y"_s)->file,
             u"/etc/containers/registries.conf.d/50-team.conf"_s);
    // Rules of the earlier file under other prefixes stay.
    QVERIFY(conf.match(u"quay.io/x/y"_s));
    QCOMPARE(conf.searchRegistries(), QStringList{u"quay.io"_s});
    QCOMPARE(conf.searchRegistriesFile(),
             u"/home/u/.config/containers/registries.conf.d/90.conf"_s);
    QCOMPARE(conf.alias(u"busybox"_s), u"quay.io/team/busybox"_s);
}

void tst_RegistriesConf::shortNames_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("expected");
    const QByteArray search = "unqualified-search-registries = [\"a.io\", \"docker.io\"]\n";
    const QByteArray aliases = "[aliases]\n\"busybox\" = \"quay.io/team/busybox\"\n";
    QTest::newRow("no search registries: docker's default, aliases ignored")
        << aliases << u"busybox:1.0"_s << QStringList();
    QTest::newRow("search registries in order")
        << search << u"busybox:1.0"_s
        << QStringList{u"a.io/busybox:1.0"_s, u"docker.io/busybox:1.0"_s};
    QTest::newRow("alias first and alone")
        << search + aliases << u"busybox:1.0"_s << QStringList{u"quay.io/team/busybox:1.0"_s};
    QTest::newRow("alias with a digest") << search + aliases << u"busybox@sha256:abc"_s
                                         << QStringList{u"quay.io/team/busybox@sha256:abc"_s};
    QTest::newRow("two components")
        << search << u"team/app"_s << QStringList{u"a.io/team/app"_s, u"docker.io/team/app"_s};
    QTest::newRow("qualified") << search << u"ghcr.io/x/y:1"_s << QStringList();
    QTest::newRow("localhost") << search << u"localhost/x"_s << QStringList();
    QTest::newRow("host with port") << search << u"host:5000/x"_s << QStringList();
}

void tst_RegistriesConf::shortNames()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, name);
    QFETCH(QStringList, expected);
    QCOMPARE(parsed(text).shortNameCandidates(name), expected);
}

void tst_RegistriesConf::filesInPrecedence()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString system = dir.filePath(u"etc"_s);
    const QString user = dir.filePath(u"home"_s);
    write(system + u"/registries.conf"_s, "");
    write(system + u"/registries.conf.d/20-b.conf"_s, "");
    write(system + u"/registries.conf.d/10-a.conf"_s, "");
    write(system + u"/registries.conf.d/README"_s, "");
    write(user + u"/registries.conf.d/05-user.conf"_s, "");
    QCOMPARE(RegistriesConf::filesIn({}, system, user),
             (QStringList{system + u"/registries.conf"_s,
                          system + u"/registries.conf.d/10-a.conf"_s,
                          system + u"/registries.conf.d/20-b.conf"_s,
                          user + u"/registries.conf.d/05-user.conf"_s}));
    write(user + u"/registries.conf"_s, "");
    QCOMPARE(RegistriesConf::filesIn({}, system, user).first(), user + u"/registries.conf"_s);
    QCOMPARE(RegistriesConf::filesIn(u"/x/only.conf"_s, system, user),
             QStringList{u"/x/only.conf"_s});
}

void tst_RegistriesConf::loadReportsUnreadableAndMalformedFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bad = dir.filePath(u"bad.conf"_s);
    const QString good = dir.filePath(u"good.conf"_s);
    write(bad, "[[registry]]\nlocation = \"a.io\"\n\ninsecure = tru\n");
    write(good, Mirrors);
    const RegistriesConf conf
        = RegistriesConf::loadFiles({dir.filePath(u"missing.conf"_s), bad, good});
    const QStringList problems = problemLines(conf);
    QCOMPARE(problems.size(), 2);
    QVERIFY2(problems.at(0).startsWith(dir.filePath(u"missing.conf"_s) + u": could not be read"_s),
             qPrintable(problems.at(0)));
    QVERIFY2(problems.at(1).startsWith(bad + u":4: not valid TOML"_s), qPrintable(problems.at(1)));
    QVERIFY(!conf.match(u"a.io/x"_s));
    QVERIFY(conf.match(u"docker.io/library/busybox"_s));
}

void tst_RegistriesConf::hostileInput_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe[[registry]]\x01", 16);
    QTest::newRow("invalid utf-8 in a string")
        << QByteArray("[[registry]]\nlocation = \"\xc3\x28\"\n");
    QTest::newRow("deep nesting") << QByteArray(5000, '[');
    QTest::newRow("deep inline arrays") << "a = " + QByteArray(5000, '[') + QByteArray(5000, ']');
    QTest::newRow("long location")
        << "[[registry]]\nlocation = \"" + QByteArray(100000, 'a') + "\"\n";
    QTest::newRow("many rules") << QByteArray("[[registry]]\nlocation = \"a.io\"\n").repeated(5000);
    QTest::newRow("mirror is a string")
        << QByteArray("[[registry]]\nlocation = \"a.io\"\nmirror = \"m.io\"\n");
    QTest::newRow("mirror entries not tables")
        << QByteArray("[[registry]]\nlocation = \"a.io\"\nmirror = [1, 2]\n");
    QTest::newRow("aliases a string") << QByteArray("aliases = \"x\"\n");
    QTest::newRow("registry of strings") << QByteArray("registry = [\"a\", \"b\"]\n");
    QTest::newRow("search of tables") << QByteArray("unqualified-search-registries = [{a = 1}]\n");
    QTest::newRow("wildcard only") << QByteArray("[[registry]]\nprefix = \"*\"\n");
    QTest::newRow("ipv6 location") << QByteArray("[[registry]]\nlocation = \"[::1]:5000/x\"\n");
    QTest::newRow("nul in a key") << QByteArray("[[registry]]\n\"lo\\u0000cation\" = \"a.io\"\n");
    QByteArray noise(4096, Qt::Uninitialized);
    QRandomGenerator generator(24);
    for (char &c : noise)
        c = "[]{}=\".,\n #'*\\ax"[generator.bounded(17)];
    QTest::newRow("random TOML-ish noise") << noise;
}

void tst_RegistriesConf::hostileInput()
{
    QFETCH(QByteArray, text);
    const RegistriesConf conf = parsed(text);
    // Whatever came in, every problem names the file, and the answers stay answers.
    for (const RegistriesConfProblem &p : conf.problems()) {
        QCOMPARE(p.file, u"test.conf"_s);
        QVERIFY(!p.message.isEmpty());
    }
    const QList<PullSource> sources = conf.pullSources(u"a.io/x"_s, false);
    QVERIFY(!sources.isEmpty());
    QVERIFY(!sources.last().mirror);
    QVERIFY(!conf.pushDestination(u"a.io/x"_s).registry.isEmpty());
}

QTEST_GUILESS_MAIN(tst_RegistriesConf)
#include "tst_registriesconf.moc"
