// The parts of `docker history`, the In use refusal and the event stream that need no engine:
// parsing the engine's answers, matching history sizes to layers, naming the containers an
// engine's refusal points at, and which events change what the pages list.

#include "store/engineevents.h"
#include "store/imagehistory.h"
#include "store/imageinuse.h"

#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

ImageHistoryRow row(qint64 size, bool emptyLayer)
{
    ImageHistoryRow r;
    r.size = size;
    r.emptyLayer = emptyLayer;
    return r;
}

LocalContainer
container(const QString &id, const QString &name, const QString &state, const QString &imageHex)
{
    LocalContainer c;
    c.id = id;
    c.names = {name};
    c.state = state;
    c.imageId = *Digest::parse(QString(u"sha256:"_s + imageHex));
    return c;
}

const QString ImageHex = u"1a2b3c4d5e6f"_s + QString(52, u'0');
const QString WebId = u"2ab3c4d5e6f7"_s + QString(52, u'1');
const QString DbId = u"3cd4e5f60718"_s + QString(52, u'2');

} // namespace

Q_DECLARE_METATYPE(QList<qint64>)

class tst_ImageHistory final : public QObject
{
    Q_OBJECT

private slots:
    void parseEngineHistory();
    void historyFromConfig();
    void layerSizes_data();
    void layerSizes();
    void containersNamedIn_data();
    void containersNamedIn();
    void inUseSentence();
    void classifyEvents_data();
    void classifyEvents();
};

void tst_ImageHistory::parseEngineHistory()
{
    // Docker's answer for a two-step image; podman's gives bare hex IDs.
    const QByteArray json = R"([
        {"Id":"sha256:)" + ImageHex.toLatin1()
                            + R"(","Created":1700000100,
         "CreatedBy":"/bin/sh -c #(nop)  CMD [\"sh\"]","Tags":["docker.io/library/busybox:1.36"],
         "Size":0,"Comment":""},
        {"Id":"<missing>","Created":1700000000,
         "CreatedBy":"/bin/sh -c #(nop) ADD file:abc in / ","Tags":null,"Size":4261550,
         "Comment":"imported"}])";
    const QList<ImageHistoryRow> rows = Berth::parseEngineHistory(json);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).id, u"sha256:"_s + ImageHex);
    QCOMPARE(rows.at(0).tags, QStringList{u"busybox:1.36"_s});
    QCOMPARE(rows.at(0).created, QDateTime::fromSecsSinceEpoch(1700000100, Qt::UTC));
    QVERIFY(rows.at(0).emptyLayer);
    QCOMPARE(rows.at(1).id, u"<missing>"_s);
    QCOMPARE(rows.at(1).size, 4261550);
    QCOMPARE(rows.at(1).comment, u"imported"_s);
    QVERIFY(!rows.at(1).emptyLayer);

    const QList<ImageHistoryRow> podman
        = Berth::parseEngineHistory(R"([{"Id":")" + ImageHex.toLatin1() + R"(","Size":5}])");
    QCOMPARE(podman.value(0).id, u"sha256:"_s + ImageHex);
    QVERIFY(Berth::parseEngineHistory("{\"message\":\"no such image\"}").isEmpty());
}

void tst_ImageHistory::historyFromConfig()
{
    ImageConfig config;
    HistoryEntry add;
    add.createdBy = u"ADD rootfs.tar /"_s;
    HistoryEntry env;
    env.createdBy = u"ENV A=b"_s;
    env.emptyLayer = true;
    HistoryEntry run;
    run.createdBy = u"RUN make"_s;
    config.history = {add, env, run};
    Descriptor first;
    first.size = 100;
    Descriptor second;
    second.size = 20;
    const Digest id = *Digest::parse(QString(u"sha256:"_s + ImageHex));
    const QList<ImageHistoryRow> rows
        = Berth::historyFromConfig(config, {first, second}, id, {u"app:1"_s});
    QCOMPARE(rows.size(), 3);
    // Newest first; the step that made no layer has no size.
    QCOMPARE(rows.at(0).createdBy, u"RUN make"_s);
    QCOMPARE(rows.at(0).size, 20);
    QCOMPARE(rows.at(0).id, id.toString());
    QCOMPARE(rows.at(0).tags, QStringList{u"app:1"_s});
    QCOMPARE(rows.at(1).size, 0);
    QVERIFY(rows.at(1).emptyLayer);
    QCOMPARE(rows.at(1).id, u"<missing>"_s);
    QCOMPARE(rows.at(2).size, 100);
    QCOMPARE(Berth::historyEntries(rows).first().createdBy, u"ADD rootfs.tar /"_s);

    // No history at all (an import by some tools): one row, the image itself.
    const QList<ImageHistoryRow> bare = Berth::historyFromConfig({}, {first, second}, id, {});
    QCOMPARE(bare.size(), 1);
    QCOMPARE(bare.first().size, 120);
}

void tst_ImageHistory::layerSizes_data()
{
    QTest::addColumn<QList<ImageHistoryRow>>("rows"); // newest first
    QTest::addColumn<int>("layers");
    QTest::addColumn<QList<qint64>>("sizes"); // oldest first

    QTest::newRow("metadata steps skipped")
        << QList<ImageHistoryRow>{row(0, true), row(30, false), row(0, true), row(100, false)} << 2
        << QList<qint64>{100, 30};
    QTest::newRow("an empty layer among layers")
        << QList<ImageHistoryRow>{row(30, false), row(0, true), row(100, false)} << 3
        << QList<qint64>{100, 0, 30};
    QTest::newRow("cannot be matched")
        << QList<ImageHistoryRow>{row(0, true), row(0, true), row(100, false)} << 2
        << QList<qint64>{};
    QTest::newRow("no layers") << QList<ImageHistoryRow>{row(0, true)} << 0 << QList<qint64>{};
}

void tst_ImageHistory::layerSizes()
{
    QFETCH(QList<ImageHistoryRow>, rows);
    QFETCH(int, layers);
    QFETCH(QList<qint64>, sizes);
    QCOMPARE(layerSizesFromHistory(rows, layers), sizes);
}

void tst_ImageHistory::containersNamedIn_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("names");

    QTest::newRow("docker, by container")
        << u"conflict: unable to remove repository reference \"busybox:1.0\" (must force) - "
           "container 2ab3c4d5e6f7 is using its referenced image 9f9f9f9f9f9f"_s
        << QStringList{u"web"_s};
    QTest::newRow("docker, by image: every container of it")
        << u"conflict: unable to delete 1a2b3c4d5e6f (cannot be forced) - image is being used "
           "by running container 777777777777"_s
        << QStringList{u"web"_s, u"db"_s};
    QTest::newRow("podman, full ID")
        << u"image used by %1: image is in use by a container: consider listing external "
           "containers and force-removing image"_s.arg(DbId)
        << QStringList{u"db"_s};
    QTest::newRow("no ID") << u"conflict: something else"_s << QStringList{};
}

void tst_ImageHistory::containersNamedIn()
{
    QFETCH(QString, message);
    QFETCH(QStringList, names);
    const QList<LocalContainer> all
        = {container(WebId, u"/web"_s, u"exited"_s, ImageHex),
           container(DbId, u"db"_s, u"running"_s, ImageHex),
           container(QString(64, u'9'), u"other"_s, u"exited"_s, QString(64, u'8'))};
    QStringList found;
    for (const LocalContainer &c : Berth::containersNamedIn(message, all))
        found.append(QString(c.names.first()).remove(u'/'));
    QCOMPARE(found, names);
}

void tst_ImageHistory::inUseSentence()
{
    Error original = Error::make(Error::Kind::Denied, u"The container engine refused: conflict"_s);
    original.httpStatus = 409;
    const Error one = imageInUseError(
        u"ubuntu:24.04"_s, {container(WebId, u"/web"_s, u"exited"_s, ImageHex)}, original);
    QCOMPARE(one.message,
             u"ubuntu:24.04 is used by the container 'web' (stopped). Remove the container first, "
             "or force."_s);
    QCOMPARE(one.containers, QStringList{u"web"_s});
    QCOMPARE(one.kind, Error::Kind::Denied);
    QCOMPARE(one.httpStatus, 409);

    const Error two = imageInUseError(u"sha256:"_s + ImageHex,
                                      {container(WebId, u"web"_s, u"exited"_s, ImageHex),
                                       container(DbId, u"db"_s, u"running"_s, ImageHex)},
                                      original);
    // (English plural forms come from the translation: "container(s)" without it.)
    QVERIFY2(two.message.startsWith(u"1a2b3c4d5e6f is used by 2 container"_s)
                 && two.message.endsWith(u": 'web' (stopped), 'db' (running). Remove them first, "
                                         "or force."_s),
             qPrintable(two.message));
    QCOMPARE(two.containers, (QStringList{u"web"_s, u"db"_s}));

    QCOMPARE(imageInUseError(u"x"_s, {}, original).message, original.message);
}

void tst_ImageHistory::classifyEvents_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("images");
    QTest::addColumn<bool>("containers");

    QTest::newRow("pull") << QByteArray(R"({"Type":"image","Action":"pull","id":"x"})") << true
                          << false;
    QTest::newRow("untag") << QByteArray(R"({"Type":"image","Action":"untag"})") << true << false;
    QTest::newRow("push changes nothing")
        << QByteArray(R"({"Type":"image","Action":"push"})") << false << false;
    QTest::newRow("container created")
        << QByteArray(R"({"Type":"container","Action":"create"})") << false << true;
    QTest::newRow("container died")
        << QByteArray(R"({"Type":"container","Action":"die"})") << false << true;
    QTest::newRow("exec changes nothing")
        << QByteArray(R"({"Type":"container","Action":"exec_start: sh"})") << false << false;
    QTest::newRow("network") << QByteArray(R"({"Type":"network","Action":"connect"})") << false
                             << false;
    QTest::newRow("not JSON") << QByteArray("garbage") << false << false;
}

void tst_ImageHistory::classifyEvents()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, images);
    QFETCH(bool, containers);
    const auto change = EngineEventWatcher::classify(line);
    QCOMPARE(change.images, images);
    QCOMPARE(change.containers, containers);
}

QTEST_GUILESS_MAIN(tst_ImageHistory)

#include "tst_imagehistory.moc"
