// berthctl's look-inside verbs end to end (issue 22), against the real plain registry: images
// contentsfixture.py builds with umoci (whiteouts of a file and a folder, an opaque folder, hard
// and symbolic links, one pointing out of the root, a set-uid file, a name that is not UTF-8),
// a second tag differing in known ways, and two hostile layers. What berthctl shows is checked
// against umoci's own unpacked rootfs; what it downloads against the registry's access log.
#include "berthctlrunner.h"
#include "testservices.h"

#include "contents/contentsentry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// One path as a listing or a walk of the rootfs sees it.
struct Seen
{
    QString type;
    qint64 size = 0;
    qint64 mode = 0;
    QByteArray link;
    bool operator==(const Seen &) const = default;
};
using Listing = QMap<QString, Seen>;

QString typeOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return u"directory"_s;
    if (S_ISLNK(mode))
        return u"symlink"_s;
    if (S_ISREG(mode))
        return u"file"_s;
    return u"other"_s;
}

// The tree below `root` with raw names (readdir, lstat): QDir would decode names that are not
// UTF-8 lossily. Paths as berthctl shows them: "/" + displayPath.
void walk(const QByteArray &root, const QByteArray &relative, Listing &out)
{
    const QByteArray folder = relative.isEmpty() ? root : QByteArray(root + '/' + relative);
    DIR *dir = opendir(folder.constData());
    QVERIFY2(dir, folder.constData());
    while (const dirent *d = readdir(dir)) {
        const QByteArray name(d->d_name);
        if (name == "." || name == "..")
            continue;
        const QByteArray path = relative.isEmpty() ? name : QByteArray(relative + '/' + name);
        const QByteArray full = root + '/' + path;
        struct stat st = {};
        QCOMPARE(lstat(full.constData(), &st), 0);
        Seen seen{typeOf(st.st_mode),
                  S_ISREG(st.st_mode) ? qint64(st.st_size) : 0,
                  qint64(st.st_mode & 07777),
                  {}};
        if (S_ISLNK(st.st_mode)) {
            char target[4096];
            const ssize_t n = readlink(full.constData(), target, sizeof target);
            QVERIFY(n > 0);
            seen.link = QByteArray(target, n);
        }
        out.insert(u'/' + Berth::displayPath(path), seen);
        if (S_ISDIR(st.st_mode))
            walk(root, path, out);
    }
    closedir(dir);
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), json.left(400).constData());
    return doc.object();
}

QByteArray readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(program, arguments);
    if (!process.waitForFinished(300000))
        return -1;
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace

class TestBerthctlContents final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QString m_repository; // host/berth/contents-<random>
    QJsonObject m_fixture;
    int m_cache = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString image(const QString &tag) const { return m_repository + u':' + tag; }
    CtlRun ctl(const QStringList &arguments) { return runBerthctl(arguments, m_env); }
    QString registryLog() const
    {
        return TestServices::instance().raw().value(u"logs"_s).toString()
               + u"/registry-plain.log"_s;
    }
    qint64 logSize() const { return QFileInfo(registryLog()).size(); }
    // How many GETs of `digest` the registry served since `offset` of its log.
    int blobGets(qint64 offset, const QString &digest) const
    {
        const QByteArray log = readAll(registryLog()).mid(offset);
        const QString repository = m_repository.section(u'/', 1);
        const QString request = u"\"GET /v2/"_s + repository + u"/blobs/"_s + digest + u' ';
        return int(log.count(request.toUtf8()));
    }
    Listing listing(const QByteArray &json);
    Listing listImage(const QString &imageName, const QStringList &extra = {});

private slots:
    void initTestCase();
    void init();
    void recursiveListingEqualsUmociRootfs();
    void listingShowsHostileNamesEscaped();
    void listingOfOneFolderAndOneFile();
    void layerShowsWhatItChanged();
    void catReadsOnlyTheTopLayer();
    void secondLookDownloadsNothing();
    void diffBetweenTags();
    void copyFolderEqualsRootfsSubtree();
    void copyFileAndTar();
    void wastedBytes();
    void archiveAndEmbeddedListLikeTheRegistry();
    void platformOfAnIndex();
    void hostileLayers_data();
    void hostileLayers();
    void usageErrors_data();
    void usageErrors();
};

void TestBerthctlContents::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(!m_dir.path().contains(u':')); // skopeo's oci: transport splits at the first ':'
    QCOMPARE(run(u"python3"_s, {QStringLiteral(BERTH_CONTENTS_FIXTURE), path(u"fx"_s)}), 0);
    m_fixture = parseObject(readAll(path(u"fx/fixture.json"_s)));
    QVERIFY(!m_fixture.isEmpty());
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    m_repository = registry.host + u"/berth/contents-"_s
                   + QString::number(QRandomGenerator::global()->generate(), 16);
    for (const QString &tag : {u"v1"_s, u"v2"_s, u"dotdot"_s, u"truncated"_s}) {
        QCOMPARE(run(u"skopeo"_s,
                     {u"--insecure-policy"_s,
                      u"copy"_s,
                      u"--quiet"_s,
                      u"--dest-tls-verify=false"_s,
                      u"--dest-no-creds"_s,
                      u"oci:"_s + path(u"fx/oci"_s) + u':' + tag,
                      u"docker://"_s + image(tag)}),
                 0);
    }
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(u"BERTH_STORE"_s, path(u"store"_s));
}

// A cache of its own for every test: what one test indexed never hides another's downloads.
void TestBerthctlContents::init()
{
    m_env.insert(u"XDG_CACHE_HOME"_s, path(u"cache-%1"_s.arg(++m_cache)));
}

Listing TestBerthctlContents::listing(const QByteArray &json)
{
    Listing out;
    for (const QJsonValue &v : parseObject(json).value(u"entries").toArray()) {
        const QJsonObject o = v.toObject();
        Seen seen{o.value(u"type").toString(),
                  o.value(u"size").toInteger(),
                  o.value(u"mode").toInteger(),
                  o.value(u"linkTarget").toString().toUtf8()};
        if (seen.type != u"symlink")
            seen.link.clear();
        out.insert(o.value(u"path").toString(), seen);
    }
    return out;
}

Listing TestBerthctlContents::listImage(const QString &imageName, const QStringList &extra)
{
    const CtlRun ls
        = ctl(QStringList{u"ls"_s, imageName, u"/"_s, u"--recursive"_s, u"--format"_s, u"json"_s}
              + extra);
    if (ls.exitCode != 0)
        qWarning("berthctl ls %s: %s", qPrintable(imageName), ls.err.constData());
    return listing(ls.out);
}

void TestBerthctlContents::recursiveListingEqualsUmociRootfs()
{
    for (const QString &tag : {u"v1"_s, u"v2"_s}) {
        Listing expected;
        walk(QFile::encodeName(path(u"fx/rootfs-"_s + tag)), {}, expected);
        QVERIFY(expected.size() > 20);
        Listing shown = listImage(image(tag));
        // A hard link is listed as one (no size of its own); umoci unpacked it as a second name
        // of the same file.
        for (auto it = shown.begin(); it != shown.end(); ++it) {
            if (it->type == u"hardlink") {
                QVERIFY2(expected.contains(it.key()), qPrintable(it.key()));
                it->type = u"file"_s;
                it->size = expected.value(it.key()).size;
            }
        }
        QCOMPARE(shown.keys(), expected.keys());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(shown.value(it.key()) == it.value(), qPrintable(tag + u' ' + it.key()));
    }
}

void TestBerthctlContents::listingShowsHostileNamesEscaped()
{
    const CtlRun ls = ctl({u"ls"_s, image(u"v1"_s), u"/weird"_s});
    QVERIFY2(ls.exitCode == 0, ls.err.constData());
    QVERIFY(!ls.out.contains('\x1b'));
    QVERIFY2(ls.out.contains("/weird/caf\\xe9-\\x1b[31m"), ls.out.constData());
    // The name as shown reads the file back.
    const CtlRun cat = ctl({u"cat"_s, image(u"v1"_s), u"/weird/caf\\xe9-\\x1b[31m"_s});
    QVERIFY2(cat.exitCode == 0, cat.err.constData());
    QCOMPARE(cat.out, QByteArray("latin-1 name\n"));
    const CtlRun links = ctl({u"ls"_s, image(u"v1"_s), u"/links"_s});
    QVERIFY(links.out.contains("/links/escape -> ../../etc/passwd"));
    QVERIFY(links.out.contains("/links/hard2 => /links/hard1"));
    const CtlRun setuid = ctl({u"ls"_s, image(u"v1"_s), u"/sbin"_s});
    QVERIFY2(setuid.out.contains("-rwsr-xr-x"), setuid.out.constData());
}

void TestBerthctlContents::listingOfOneFolderAndOneFile()
{
    const auto names = [this](const QByteArray &json) {
        return listing(json).keys();
    };
    const CtlRun top = ctl({u"ls"_s, image(u"v1"_s), u"--format"_s, u"json"_s});
    QVERIFY2(top.exitCode == 0, top.err.constData());
    QCOMPARE(names(top.out),
             (QStringList{u"/bin"_s,
                          u"/data"_s,
                          u"/etc"_s,
                          u"/links"_s,
                          u"/new"_s,
                          u"/opq"_s,
                          u"/over"_s,
                          u"/sbin"_s,
                          u"/top"_s,
                          u"/weird"_s}));
    const CtlRun opaque = ctl({u"ls"_s, image(u"v1"_s), u"/opq"_s, u"--format"_s, u"json"_s});
    QCOMPARE(names(opaque.out), QStringList{u"/opq/z"_s});
    const CtlRun file = ctl({u"ls"_s, image(u"v1"_s), u"/etc/config"_s, u"--format"_s, u"json"_s});
    QCOMPARE(names(file.out), QStringList{u"/etc/config"_s});
    // A link to a folder is listed itself, or followed with a trailing '/', as ls does.
    const CtlRun link
        = ctl({u"ls"_s, image(u"v1"_s), u"/links/bindir"_s, u"--format"_s, u"json"_s});
    QCOMPARE(names(link.out), QStringList{u"/links/bindir"_s});
    const CtlRun followed
        = ctl({u"ls"_s, image(u"v1"_s), u"/links/bindir/"_s, u"--format"_s, u"json"_s});
    QCOMPARE(names(followed.out), QStringList{u"/bin/tool"_s});
    const CtlRun missing = ctl({u"ls"_s, image(u"v1"_s), u"/no/such"_s});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no/such"), missing.err.constData());
}

void TestBerthctlContents::layerShowsWhatItChanged()
{
    const auto changes = [this](int layer) {
        QMap<QString, QString> out;
        const CtlRun ls = ctl({u"ls"_s,
                               image(u"v1"_s),
                               u"--layer"_s,
                               QString::number(layer),
                               u"--format"_s,
                               u"json"_s});
        if (ls.exitCode != 0)
            qWarning("%s", ls.err.constData());
        for (const QJsonValue &v : parseObject(ls.out).value(u"entries").toArray())
            out.insert(v[u"path"].toString(), v[u"change"].toString());
        return out;
    };
    const QMap<QString, QString> two = changes(2);
    QCOMPARE(two.value(u"/data/big.bin"_s), u"D"_s);
    QCOMPARE(two.value(u"/olddir"_s), u"D"_s);
    QCOMPARE(two.value(u"/over/file.txt"_s), u"C"_s);
    QCOMPARE(two.value(u"/new"_s), u"A"_s);
    QCOMPARE(two.value(u"/new/hello.txt"_s), u"A"_s);
    QVERIFY(!two.contains(u"/etc/config"_s));
    const QMap<QString, QString> three = changes(3);
    QCOMPARE(three.value(u"/opq/x"_s), u"D"_s);
    QCOMPARE(three.value(u"/opq/y"_s), u"D"_s);
    QCOMPARE(three.value(u"/opq/z"_s), u"A"_s);
    QCOMPARE(three.value(u"/top/message.txt"_s), u"A"_s);
    QVERIFY(!three.contains(u"/new/hello.txt"_s));
    const CtlRun text = ctl({u"ls"_s, image(u"v1"_s), u"--layer"_s, u"2"_s});
    QVERIFY(text.out.startsWith("CHANGE"));
    QCOMPARE(ctl({u"ls"_s, image(u"v1"_s), u"--layer"_s, u"4"_s}).exitCode, 1);
}

void TestBerthctlContents::catReadsOnlyTheTopLayer()
{
    QCOMPARE(ctl({u"ls"_s, image(u"v1"_s)}).exitCode, 0); // the indexes, made once
    const qint64 offset = logSize();
    const CtlRun cat = ctl({u"cat"_s, image(u"v1"_s), u"/top/message.txt"_s});
    QVERIFY2(cat.exitCode == 0, cat.err.constData());
    QCOMPARE(cat.out, QByteArray("from the top layer\n"));
    const QJsonArray layers = m_fixture[u"layers"][u"v1"].toArray();
    QCOMPARE(layers.last().toString(), m_fixture[u"topLayer"].toString());
    QCOMPARE(blobGets(offset, layers.at(2).toString()), 1);
    QCOMPARE(blobGets(offset, layers.at(0).toString()), 0);
    QCOMPARE(blobGets(offset, layers.at(1).toString()), 0);
    // Through a link, from a lower layer, binary-safe.
    const CtlRun linked = ctl({u"cat"_s, image(u"v1"_s), u"/links/rel"_s});
    QCOMPARE(linked.out, QByteArray("version=1\n"));
    const CtlRun binary = ctl({u"cat"_s, image(u"v1"_s), u"/sbin/setuid-tool"_s});
    QCOMPARE(binary.out, readAll(path(u"fx/rootfs-v1/sbin/setuid-tool"_s)));
    const CtlRun folder = ctl({u"cat"_s, image(u"v1"_s), u"/etc"_s});
    QCOMPARE(folder.exitCode, 1);
    QVERIFY(folder.out.isEmpty());
}

void TestBerthctlContents::secondLookDownloadsNothing()
{
    const QJsonArray layers = m_fixture[u"layers"][u"v2"].toArray();
    const qint64 first = logSize();
    QCOMPARE(ctl({u"ls"_s, image(u"v2"_s)}).exitCode, 0);
    for (const QJsonValue &layer : layers)
        QCOMPARE(blobGets(first, layer.toString()), 1);
    const qint64 second = logSize();
    const CtlRun again = ctl({u"ls"_s, image(u"v2"_s), u"--recursive"_s});
    QCOMPARE(again.exitCode, 0);
    for (const QJsonValue &layer : layers)
        QCOMPARE(blobGets(second, layer.toString()), 0);
    // v1's layers are v2's first three: looking at v1 now downloads nothing either.
    const qint64 third = logSize();
    QCOMPARE(ctl({u"du"_s, image(u"v1"_s)}).exitCode, 0);
    for (const QJsonValue &layer : layers)
        QCOMPARE(blobGets(third, layer.toString()), 0);
}

void TestBerthctlContents::diffBetweenTags()
{
    const CtlRun diff = ctl({u"diff"_s, image(u"v1"_s), image(u"v2"_s), u"--format"_s, u"json"_s});
    QVERIFY2(diff.exitCode == 0, diff.err.constData());
    const QJsonObject doc = parseObject(diff.out);
    QMap<QString, QString> files;
    for (const QJsonValue &v : doc[u"files"].toArray())
        files.insert(v[u"path"].toString(), v[u"kind"].toString());
    const QMap<QString, QString> expected{{u"/bin/tool"_s, u"C"_s},
                                          {u"/etc/config"_s, u"C"_s},
                                          {u"/etc/passwd"_s, u"D"_s},
                                          {u"/v2"_s, u"A"_s},
                                          {u"/v2/added.txt"_s, u"A"_s}};
    QCOMPARE(files, expected);
    for (const QJsonValue &v : doc[u"files"].toArray()) {
        if (v[u"path"] == u"/etc/config"_s) {
            QCOMPARE(v[u"oldSize"].toInteger(), 10);
            QCOMPARE(v[u"newSize"].toInteger(), 19);
        }
    }
    QStringList config;
    for (const QJsonValue &v : doc[u"config"].toArray())
        config << v[u"field"].toString() + u' ' + v[u"key"].toString();
    QVERIFY2(config.contains(u"Env BERTH_CONTENTS"_s), qPrintable(config.join(u", ")));
    QVERIFY2(config.contains(u"Labels org.berth.contents"_s), qPrintable(config.join(u", ")));
    const QJsonObject summary = doc[u"summary"].toObject();
    QCOMPARE(summary[u"added"].toInt(), 2);
    QCOMPARE(summary[u"changed"].toInt(), 2);
    QCOMPARE(summary[u"deleted"].toInt(), 1);
    const CtlRun text = ctl({u"diff"_s, image(u"v1"_s), image(u"v2"_s)});
    QVERIFY(text.out.contains("/etc/passwd"));
    QVERIFY(text.out.contains("BERTH_CONTENTS"));
    const CtlRun same = ctl({u"diff"_s, image(u"v1"_s), image(u"v1"_s), u"--format"_s, u"json"_s});
    QCOMPARE(parseObject(same.out)[u"files"].toArray().size(), 0);
}

void TestBerthctlContents::copyFolderEqualsRootfsSubtree()
{
    QDir(path(u"out"_s)).removeRecursively();
    QVERIFY(QDir().mkpath(path(u"out/dest"_s)));
    // Into an existing folder: the folder itself lands inside it.
    const CtlRun cp = ctl({u"cp"_s, image(u"v1"_s) + u":/links"_s, path(u"out/dest"_s)});
    QVERIFY2(cp.exitCode == 0, cp.err.constData());
    Listing copied, rootfs, expected;
    walk(QFile::encodeName(path(u"out/dest"_s)), {}, copied);
    walk(QFile::encodeName(path(u"fx/rootfs-v1"_s)), {}, rootfs);
    for (auto it = rootfs.cbegin(); it != rootfs.cend(); ++it) {
        if (it.key() == u"/links" || it.key().startsWith(u"/links/"))
            expected.insert(it.key(), it.value());
    }
    for (auto it = expected.begin(); it != expected.end(); ++it)
        it->mode &= 0777; // modes without set-uid, set-gid, sticky
    for (auto it = copied.begin(); it != copied.end(); ++it)
        it->mode &= 0777;
    QCOMPARE(copied, expected);
    // The whole filesystem to a new name: nothing outside it, the escaping link kept a link.
    const CtlRun all = ctl({u"cp"_s, image(u"v1"_s) + u":/"_s, path(u"out/all"_s)});
    QVERIFY2(all.exitCode == 0, all.err.constData());
    QCOMPARE(QDir(path(u"out"_s)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             (QStringList{u"all"_s, u"dest"_s}));
    QCOMPARE(QFileInfo(path(u"out/all/links/escape"_s)).symLinkTarget().isEmpty(), false);
    QCOMPARE(readAll(path(u"out/all/top/message.txt"_s)), QByteArray("from the top layer\n"));
    QVERIFY(!QFileInfo::exists(path(u"out/all/data/big.bin"_s)));
    QCOMPARE(QFileInfo(path(u"out/all/sbin/setuid-tool"_s)).permissions() & QFileDevice::ExeOwner,
             QFileDevice::ExeOwner);
    struct stat st = {};
    QCOMPARE(stat(QFile::encodeName(path(u"out/all/sbin/setuid-tool"_s)).constData(), &st), 0);
    QCOMPARE(st.st_mode & 04000, 0u); // set-uid dropped
}

void TestBerthctlContents::copyFileAndTar()
{
    QDir(path(u"cp"_s)).removeRecursively();
    QVERIFY(QDir().mkpath(path(u"cp"_s)));
    // A file to a new name, then into a folder under its own name (docker cp's rules).
    QCOMPARE(ctl({u"cp"_s, image(u"v2"_s) + u":/etc/config"_s, path(u"cp/renamed"_s)}).exitCode, 0);
    QCOMPARE(readAll(path(u"cp/renamed"_s)), QByteArray("version=2\nmore=yes\n"));
    QCOMPARE(ctl({u"cp"_s, image(u"v2"_s) + u":/etc/config"_s, path(u"cp"_s)}).exitCode, 0);
    QCOMPARE(readAll(path(u"cp/config"_s)), QByteArray("version=2\nmore=yes\n"));
    // A folder's contents ("/."), and a folder onto a file refused.
    QVERIFY(QDir().mkpath(path(u"cp/contents"_s)));
    QCOMPARE(ctl({u"cp"_s, image(u"v1"_s) + u":/opq/."_s, path(u"cp/contents"_s)}).exitCode, 0);
    QCOMPARE(QDir(path(u"cp/contents"_s)).entryList(QDir::Files), QStringList{u"z"_s});
    QCOMPARE(ctl({u"cp"_s, image(u"v1"_s) + u":/opq"_s, path(u"cp/renamed"_s)}).exitCode, 1);
    // '-': a tar on standard output; a folder to NAME.tar: that tar.
    const CtlRun tar = ctl({u"cp"_s, image(u"v1"_s) + u":/links"_s, u"-"_s});
    QVERIFY2(tar.exitCode == 0, tar.err.constData());
    QVERIFY(tar.out.contains("links/escape"));
    QVERIFY(tar.out.contains("../../etc/passwd"));
    QCOMPARE(ctl({u"cp"_s, image(u"v1"_s) + u":/links"_s, path(u"cp/links.tar"_s)}).exitCode, 0);
    QProcess list;
    list.start(u"tar"_s, {u"-tf"_s, path(u"cp/links.tar"_s)});
    QVERIFY(list.waitForFinished());
    const QByteArray names = list.readAllStandardOutput();
    QVERIFY2(names.contains("links/hard2") && names.contains("links/escape"), names.constData());
}

void TestBerthctlContents::wastedBytes()
{
    const CtlRun du = ctl({u"du"_s, image(u"v1"_s), u"--format"_s, u"json"_s, u"--top"_s, u"3"_s});
    QVERIFY2(du.exitCode == 0, du.err.constData());
    const QJsonObject doc = parseObject(du.out);
    const qint64 wasted = m_fixture[u"wasted"].toInteger();
    QCOMPARE(doc[u"totals"][u"wastedBytes"].toInteger(), wasted);
    const QJsonArray layers = doc[u"layers"].toArray();
    QCOMPARE(layers.size(), 3);
    // Everything wasted was written by layer 1; layers 2 and 3 only delete and add.
    QCOMPARE(layers.at(0)[u"wastedBytes"].toInteger(), wasted);
    QCOMPARE(layers.at(1)[u"wastedBytes"].toInteger(), 0);
    QCOMPARE(layers.at(1)[u"deleted"].toInteger() >= 2, true);
    QCOMPARE(layers.at(0)[u"digest"].toString(), m_fixture[u"layers"][u"v1"][0].toString());
    QCOMPARE(layers.at(2)[u"createdBy"].toString(), u"layer 3: an opaque folder"_s);
    QCOMPARE(layers.at(2)[u"uncompressedSize"].toInteger(),
             m_fixture[u"topLayerTarSize"].toInteger());
    const qint64 total = doc[u"totals"][u"totalBytes"].toInteger();
    QCOMPARE(doc[u"totals"][u"visibleBytes"].toInteger(), total - wasted);
    QCOMPARE(doc[u"totals"][u"efficiency"].toDouble(), double(total - wasted) / double(total));
    const QJsonArray largest = doc[u"largestFiles"].toArray();
    QCOMPARE(largest.size(), 3);
    QCOMPARE(largest.at(0)[u"size"].toInteger(), 4000);
    QVERIFY(largest.at(0)[u"path"].toString().startsWith(u"/links/hard"));
    const CtlRun text = ctl({u"du"_s, image(u"v1"_s)});
    QVERIFY(text.out.contains("Efficiency:"));
    QVERIFY(text.out.contains("Largest files:"));
}

void TestBerthctlContents::archiveAndEmbeddedListLikeTheRegistry()
{
    const Listing registry = listImage(image(u"v1"_s));
    QVERIFY(!registry.isEmpty());
    QFile::remove(path(u"v1.tar"_s));
    QCOMPARE(run(u"skopeo"_s,
                 {u"--insecure-policy"_s,
                  u"copy"_s,
                  u"--quiet"_s,
                  u"oci:"_s + path(u"fx/oci"_s) + u":v1"_s,
                  u"docker-archive:"_s + path(u"v1.tar"_s) + u":berth/contents:v1"_s}),
             0);
    QCOMPARE(listImage(u"archive:"_s + path(u"v1.tar"_s)), registry);
    QCOMPARE(listImage(u"archive:"_s + path(u"v1.tar"_s) + u":berth/contents:v1"_s), registry);
    const CtlRun pulled = ctl({u"pull"_s, image(u"v1"_s), u"--backend"_s, u"embedded"_s});
    QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
    QCOMPARE(listImage(image(u"v1"_s), {u"--backend"_s, u"embedded"_s}), registry);
}

// --platform picks from an index; a platform the index lacks is an error naming it.
void TestBerthctlContents::platformOfAnIndex()
{
    const QString multiarch
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/multiarch:1.0"_s;
    for (const QString &platform : {u"linux/amd64"_s, u"linux/arm64/v8"_s}) {
        const CtlRun ls = ctl({u"ls"_s,
                               multiarch,
                               u"/bin/busybox"_s,
                               u"--platform"_s,
                               platform,
                               u"--format"_s,
                               u"json"_s});
        QVERIFY2(ls.exitCode == 0, ls.err.constData());
        QCOMPARE(listing(ls.out).keys(), QStringList{u"/bin/busybox"_s});
    }
    const CtlRun missing = ctl({u"ls"_s, multiarch, u"--platform"_s, u"linux/s390x"_s});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("s390x"), missing.err.constData());
}

void TestBerthctlContents::hostileLayers_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("layer");
    QTest::newRow("truncated") << u"truncated"_s << u"truncatedLayer"_s;
    QTest::newRow("dot-dot entries") << u"dotdot"_s << u"dotdotLayer"_s;
}

void TestBerthctlContents::hostileLayers()
{
    QFETCH(QString, tag);
    QFETCH(QString, layer);
    const QString digest = m_fixture[layer].toString();
    const CtlRun ls = ctl({u"ls"_s, image(tag), u"--recursive"_s});
    QCOMPARE(ls.exitCode, 1);
    QVERIFY2(ls.err.contains(digest.mid(7, 12).toUtf8()), ls.err.constData());
    // Nothing was written outside a copy's folder, whatever the layer held.
    QDir(path(u"hostile"_s)).removeRecursively();
    QVERIFY(QDir().mkpath(path(u"hostile/dest"_s)));
    QVERIFY(ctl({u"cp"_s, image(tag) + u":/"_s, path(u"hostile/dest"_s)}).exitCode != 0);
    QCOMPARE(QDir(path(u"hostile"_s)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{u"dest"_s});
    QVERIFY(!QFileInfo::exists(path(u"escaped"_s)));
}

void TestBerthctlContents::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("ls without image") << QStringList{u"ls"_s};
    QTest::newRow("ls, three arguments") << QStringList{u"ls"_s, u"a"_s, u"/b"_s, u"/c"_s};
    QTest::newRow("ls --layer 0") << QStringList{u"ls"_s, u"a:1"_s, u"--layer"_s, u"0"_s};
    QTest::newRow("bad reference") << QStringList{u"ls"_s, u"Bad Ref"_s};
    QTest::newRow("bad path escape") << QStringList{u"cat"_s, u"a:1"_s, u"/x\\q"_s};
    QTest::newRow("cat without path") << QStringList{u"cat"_s, u"a:1"_s};
    QTest::newRow("cp without /PATH") << QStringList{u"cp"_s, u"a:1"_s, u"dest"_s};
    QTest::newRow("diff of one image") << QStringList{u"diff"_s, u"a:1"_s};
    QTest::newRow("du --top -1") << QStringList{u"du"_s, u"a:1"_s, u"--top"_s, u"-1"_s};
    QTest::newRow("archive without file") << QStringList{u"ls"_s, u"archive:"_s};
    QTest::newRow("bad platform") << QStringList{
        u"ls"_s, u"127.0.0.1:1/a:1"_s, u"--platform"_s, u"nope"_s};
}

void TestBerthctlContents::usageErrors()
{
    QFETCH(QStringList, arguments);
    const CtlRun run = ctl(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY(run.err.contains("berthctl: "));
}

QTEST_GUILESS_MAIN(TestBerthctlContents)
#include "tst_berthctl_contents.moc"
