// berthctl against hostile peers (issue 19): a registry and a Hub whose names, descriptions,
// labels, history and tags carry terminal escapes (clear screen, window title, OSC 52 clipboard
// writes, bidi overrides) never get a raw control byte onto the terminal; tag names outside the
// reference grammar are left out with one warning; `save -o` / `export -o` never write through a
// symbolic link. In-process fakes and the embedded store only: no services.
#include "berthctlrunner.h"
#include "fakehubserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// The first byte sequence a terminal would act on instead of showing, as hex; empty when none.
// Line feeds end lines and are allowed; everything else below 0x20, DEL, C1 controls in UTF-8
// (C2 80–9F) and the bidi controls (E2 80 AA–AE, E2 81 A6–A9) are not.
QByteArray firstControl(const QByteArray &bytes)
{
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const uchar b = uchar(bytes[i]);
        const uchar next = i + 1 < bytes.size() ? uchar(bytes[i + 1]) : 0;
        const uchar third = i + 2 < bytes.size() ? uchar(bytes[i + 2]) : 0;
        const bool c0 = (b < 0x20 && b != '\n') || b == 0x7f;
        const bool c1 = b == 0xc2 && next >= 0x80 && next <= 0x9f;
        const bool bidi = b == 0xe2
                          && ((next == 0x80 && third >= 0xaa && third <= 0xae)
                              || (next == 0x81 && third >= 0xa6 && third <= 0xa9));
        if (c0 || c1 || bidi)
            return bytes.mid(i,
                             c0   ? 1
                             : c1 ? 2
                                  : 3)
                       .toHex()
                   + " at offset " + QByteArray::number(i)
                   + " in: " + bytes.mid(std::max<qsizetype>(0, i - 40), 80);
    }
    return {};
}

// What a hostile server puts in every string it controls.
const QString Evil = u"\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x1b\\\u009b31m\u202eexe.\x7f"_s;

QByteArray digestOf(const QByteArray &body)
{
    return "sha256:" + QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
}

FakeHubResponse
blobResponse(const FakeHubRequest &request, const QByteArray &body, const QByteArray &mediaType)
{
    FakeHubResponse r;
    r.withHeader("Content-Type", mediaType).withHeader("Docker-Content-Digest", digestOf(body));
    if (request.method == "HEAD")
        r.withHeader("Content-Length", QByteArray::number(body.size()));
    else
        r.body = body;
    return r;
}

} // namespace

class TestBerthctlHostile final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    FakeHubServer m_server; // plays the Hub and a registry at once
    QByteArray m_config;
    QByteArray m_manifest;

    QString registryRepository() const
    {
        return u"127.0.0.1:"_s + QString::number(m_server.url().port()) + u"/hostile/app"_s;
    }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    static QByteArray readFile(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static bool writeFile(const QString &file, const QByteArray &data)
    {
        QFile f(file);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }

    void serveImage()
    {
        const QJsonObject config{
            {u"architecture"_s, u"amd64"_s},
            {u"os"_s, u"linux"_s},
            {u"created"_s, u"2024-05-01T10:00:00Z"_s},
            {u"config"_s,
             QJsonObject{{u"Cmd"_s, QJsonArray{u"sh"_s, u"-c"_s, Evil}},
                         {u"Entrypoint"_s, QJsonArray{Evil}},
                         {u"Env"_s, QJsonArray{u"PATH=/bin"_s, QString(u"EVIL="_s + Evil)}},
                         {u"User"_s, Evil},
                         {u"WorkingDir"_s, QString(u"/"_s + Evil)},
                         {u"Labels"_s, QJsonObject{{u"evil"_s, Evil}, {Evil, u"key"_s}}}}},
            {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray{}}}},
            {u"history"_s,
             QJsonArray{
                 QJsonObject{{u"created_by"_s, QString(u"/bin/sh -c #(nop) LABEL x="_s + Evil)}},
                 QJsonObject{{u"created_by"_s,
                              QString(u"RUN /bin/sh -c cat <<EOF\nline "_s + Evil
                                      + u"\r\nEOF # buildkit"_s)}}}}};
        m_config = QJsonDocument(config).toJson(QJsonDocument::Compact);
        const QJsonObject manifest{
            {u"schemaVersion"_s, 2},
            {u"mediaType"_s, u"application/vnd.oci.image.manifest.v1+json"_s},
            {u"config"_s,
             QJsonObject{{u"mediaType"_s, u"application/vnd.oci.image.config.v1+json"_s},
                         {u"digest"_s, QString::fromLatin1(digestOf(m_config))},
                         {u"size"_s, qint64(m_config.size())}}},
            {u"layers"_s, QJsonArray{}},
            {u"annotations"_s, QJsonObject{{u"org.opencontainers.image.title"_s, Evil}}}};
        m_manifest = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
        const QStringList manifestPaths{u"/v2/hostile/app/manifests/1.0"_s,
                                        u"/v2/hostile/app/manifests/ok-2"_s,
                                        u"/v2/hostile/app/manifests/"_s
                                            + QString::fromLatin1(digestOf(m_manifest))};
        for (const QString &p : manifestPaths)
            m_server.route(p, [this](const FakeHubRequest &r) {
                return blobResponse(r, m_manifest, "application/vnd.oci.image.manifest.v1+json");
            });
        m_server.route(u"/v2/hostile/app/blobs/"_s + QString::fromLatin1(digestOf(m_config)),
                       [this](const FakeHubRequest &r) {
                           return blobResponse(r, m_config, "application/octet-stream");
                       });
        m_server.route(u"/v2/"_s, FakeHubResponse::json("{}"));
    }

    void serveTagLists()
    {
        const QJsonArray names{u"1.0"_s,
                               Evil,
                               u"ok-2"_s,
                               u"../../../v2/other/manifests/latest"_s,
                               u"x"_s.repeated(129),
                               u"a/b"_s};
        m_server.route(
            u"/v2/hostile/app/tags/list"_s,
            FakeHubResponse::json(
                QJsonDocument(QJsonObject{{u"name"_s, u"hostile/app"_s}, {u"tags"_s, names}})
                    .toJson()));
        QJsonArray results;
        for (const QJsonValue &name : names)
            results.append(QJsonObject{
                {u"name"_s, name},
                {u"digest"_s, QString::fromLatin1(digestOf(m_manifest))},
                {u"full_size"_s, 1234},
                {u"last_updated"_s, u"2024-05-01T10:00:00Z"_s},
                {u"tag_status"_s, u"active"_s},
                {u"images"_s,
                 QJsonArray{QJsonObject{{u"architecture"_s, u"amd64"_s},
                                        {u"os"_s, u"linux"_s},
                                        {u"digest"_s, QString::fromLatin1(digestOf(m_config))},
                                        {u"size"_s, 1234}}}}});
        m_server.route(u"/v2/namespaces/hostile/repositories/app/tags"_s,
                       FakeHubResponse::json(QJsonDocument(QJsonObject{{u"count"_s, names.size()},
                                                                       {u"next"_s, QJsonValue()},
                                                                       {u"results"_s, results}})
                                                 .toJson()));
    }

    void serveSearch()
    {
        const QJsonObject result{{u"id"_s, u"hostile/app"_s},
                                 {u"name"_s, QString(u"hostile/app"_s + Evil)},
                                 {u"slug"_s, u"hostile/app"_s},
                                 {u"type"_s, u"image"_s},
                                 {u"short_description"_s, QString(Evil + u" and\nmore "_s + Evil)},
                                 {u"star_count"_s, 1},
                                 {u"pull_count"_s, u"12"_s}};
        m_server.route(
            u"/api/search/v4"_s,
            FakeHubResponse::json(
                QJsonDocument(QJsonObject{{u"total"_s, 1}, {u"results"_s, QJsonArray{result}}})
                    .toJson()));
    }

    CtlRun ctl(const QStringList &arguments) { return runBerthctl(arguments, m_env); }
    CtlRun embedded(QStringList arguments)
    {
        arguments << u"--backend"_s << u"embedded"_s;
        return runBerthctl(arguments, m_env);
    }

    // A one-file root filesystem imported as hostile:1.0 into the test's embedded store.
    void importImage()
    {
        QVERIFY(QDir(path(u"rootfs"_s)).mkpath(u"."_s));
        QVERIFY(writeFile(path(u"rootfs/hello.txt"_s), "hello\n"));
        QCOMPARE(QProcess::execute(
                     u"tar"_s,
                     {u"-C"_s, path(u"rootfs"_s), u"-cf"_s, path(u"rootfs.tar"_s), u"hello.txt"_s}),
                 0);
        const CtlRun imported = embedded({u"import"_s, path(u"rootfs.tar"_s), u"hostile:1.0"_s});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.listen());
        serveImage();
        serveTagLists();
        serveSearch();
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"BERTH_HUB_URL"_s, m_server.url().toString());
        m_env.insert(u"BERTH_STORE"_s, path(u"store"_s));
        m_env.insert(u"HOME"_s, path(u"home"_s));
        m_env.insert(u"XDG_CONFIG_HOME"_s, path(u"home/.config"_s));
        m_env.insert(u"DOCKER_CONFIG"_s, path(u"home/.docker"_s));
        m_env.insert(u"REGISTRY_AUTH_FILE"_s, path(u"home/auth.json"_s));
    }

    void noControlBytesReachTheTerminal_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("shown"); // a visible escape the output must hold
        const QString repo = registryRepository();
        QTest::newRow("search") << QStringList{u"search"_s, u"hostile"_s} << u"\\x1b]52;c;"_s;
        QTest::newRow("search json")
            << QStringList{u"search"_s, u"hostile"_s, u"--format"_s, u"json"_s}
            << u"\\u009b31m\\u202eexe.\\u007f"_s;
        QTest::newRow("inspect") << QStringList{u"inspect"_s, repo + u":1.0"_s}
                                 << u"evil=\\x1b[2J\\x1b]0;pwned\\x07"_s;
        QTest::newRow("inspect json")
            << QStringList{u"inspect"_s, repo + u":1.0"_s, u"--format"_s, u"json"_s}
            << u"\\u001b]0;pwned"_s;
        QTest::newRow("tags, registry API") << QStringList{u"tags"_s, repo} << u"ok-2"_s;
        QTest::newRow("tags, Hub API") << QStringList{u"tags"_s, u"hostile/app"_s} << u"1.0"_s;
    }

    void noControlBytesReachTheTerminal()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, shown);
        const CtlRun run = ctl(arguments);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(firstControl(run.out).isEmpty(), firstControl(run.out).constData());
        QVERIFY2(firstControl(run.err).isEmpty(), firstControl(run.err).constData());
        QVERIFY2(QString::fromUtf8(run.out).contains(shown), run.out.constData());
    }

    // A build step's heredoc keeps its lines, indented under the step so none passes for a line of
    // the listing; a label's line break is shown, not obeyed.
    void inspectShowsLinesAsLines()
    {
        const CtlRun run = ctl({u"inspect"_s, registryRepository() + u":1.0"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QStringList lines = QString::fromUtf8(run.out).split(u'\n');
        const qsizetype heredoc = lines.indexOf(u"  RUN cat <<EOF"_s);
        QVERIFY2(heredoc >= 0, run.out.constData());
        QVERIFY(lines.value(heredoc + 1).startsWith(u"      line \\x1b[2J"_s));
        QCOMPARE(lines.value(heredoc + 2), u"      EOF"_s);
    }

    // Names outside [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} are left out, with one warning naming how
    // many, and never sent back to the registry in a URL.
    void invalidTagNamesLeftOut_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("registry");
        QTest::newRow("registry API")
            << QStringList{u"tags"_s, registryRepository(), u"--format"_s, u"json"_s}
            << registryRepository().section(u'/', 0, 0);
        QTest::newRow("Hub API")
            << QStringList{u"tags"_s, u"hostile/app"_s, u"--format"_s, u"json"_s} << u"docker.io"_s;
    }

    void invalidTagNamesLeftOut()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, registry);
        m_server.resetCounters();
        const CtlRun run = ctl(arguments);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject listing = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(listing.value(u"tagCount"_s).toInt(), 2);
        QStringList tags;
        for (const QJsonValue &group : listing.value(u"groups"_s).toArray())
            for (const QJsonValue &tag : group.toObject().value(u"tags"_s).toArray())
                tags << tag.toString();
        tags.sort();
        QCOMPARE(tags, (QStringList{u"1.0"_s, u"ok-2"_s}));
        // One line ("4 names" once translated, "4 name(s)" from the source string).
        const QString warning = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(warning.startsWith(u"Warning: %1 listed 4 name"_s.arg(registry))
                     && warning.endsWith(u"not valid tags; they are not shown."_s)
                     && !warning.contains(u'\n'),
                 run.err.constData());
        for (const FakeHubRequest &request : m_server.requests())
            QVERIFY2(!request.path.contains(u"../"_s) && !request.path.contains(u'\x1b')
                         && !request.path.contains(u"xxxxxxxx"_s),
                     request.target.constData());
    }

    // `save -o` and `export -o` onto a symbolic link: refused, naming the link and its target;
    // the link and what it points to untouched, nothing written anywhere.
    void outputOntoALinkRefused_data()
    {
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("linkTo"); // relative to the test directory
        QTest::addColumn<bool>("targetExists");
        for (const QString &verb : {u"save"_s, u"export"_s}) {
            QTest::addRow("%s onto a link to a file", qPrintable(verb))
                << verb << u"victim.txt"_s << true;
            QTest::addRow("%s onto a dangling link", qPrintable(verb))
                << verb << u"missing.tar"_s << false;
            QTest::addRow("%s onto a link to a directory", qPrintable(verb))
                << verb << u"rootfs"_s << true;
        }
    }

    void outputOntoALinkRefused()
    {
        QFETCH(QString, verb);
        QFETCH(QString, linkTo);
        QFETCH(bool, targetExists);
        if (!QFileInfo::exists(path(u"rootfs.tar"_s)))
            importImage();
        QVERIFY(writeFile(path(u"victim.txt"_s), "precious\n"));
        const QString link = path(u"out.tar"_s);
        QFile::remove(link);
        QVERIFY(QFile::link(path(linkTo), link));
        const QStringList before
            = QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);

        const CtlRun run = embedded({verb, u"-o"_s, link, u"hostile:1.0"_s});
        QCOMPARE(run.exitCode, 1);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(u"'%1' is a symbolic link to '%2'"_s.arg(link, path(linkTo))),
                 run.err.constData());
        QCOMPARE(QFileInfo(link).symLinkTarget(), path(linkTo));
        QCOMPARE(QFileInfo::exists(path(linkTo)), targetExists);
        QCOMPARE(readFile(path(u"victim.txt"_s)), QByteArray("precious\n"));
        QCOMPARE(
            QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            before);
    }

    // Naming the file the link points to is meaning it: written there, the link left as it was.
    void outputToTheLinksTargetWritten_data()
    {
        QTest::addColumn<QString>("verb");
        QTest::newRow("save") << u"save"_s;
        QTest::newRow("export") << u"export"_s;
    }

    void outputToTheLinksTargetWritten()
    {
        QFETCH(QString, verb);
        if (!QFileInfo::exists(path(u"rootfs.tar"_s)))
            importImage();
        QVERIFY(writeFile(path(u"victim.txt"_s), "precious\n"));
        const QString link = path(u"out.tar"_s);
        QFile::remove(link);
        QVERIFY(QFile::link(path(u"victim.txt"_s), link));
        const CtlRun run = embedded({verb, u"-o"_s, path(u"victim.txt"_s), u"hostile:1.0"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(readFile(path(u"victim.txt"_s)).contains("hello.txt"));
        QCOMPARE(QFileInfo(link).symLinkTarget(), path(u"victim.txt"_s));
    }
};

QTEST_GUILESS_MAIN(TestBerthctlHostile)
#include "tst_berthctl_hostile.moc"
