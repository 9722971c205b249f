#include "registry/taggrouping.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTest>

#include <limits>

using namespace Berth;

namespace {

Digest digestOf(const QByteArray &seed)
{
    const QString text
        = u"sha256:"
          + QString::fromLatin1(QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex());
    return Digest::parse(text).value();
}

QDateTime at(int day, int hour = 0)
{
    return QDateTime(QDate(2024, 5, day), QTime(hour, 0), Qt::UTC);
}

PlatformImage image(const QString &os,
                    const QString &arch,
                    const QString &variant,
                    qint64 size,
                    const QDateTime &pushed = {})
{
    PlatformImage result;
    result.platform.os = os;
    result.platform.architecture = arch;
    result.platform.variant = variant;
    result.digest = digestOf((os + arch + variant).toUtf8());
    result.size = size;
    result.lastPushed = pushed;
    return result;
}

TagInfo tag(const QString &name,
            const QByteArray &digestSeed,
            const QDateTime &updated,
            qint64 size = 0,
            const QList<PlatformImage> &images = {})
{
    TagInfo result;
    result.name = name;
    if (!digestSeed.isEmpty())
        result.digest = digestOf(digestSeed);
    result.lastUpdated = updated;
    result.size = size;
    result.images = images;
    result.mediaType = QStringLiteral("application/vnd.oci.image.index.v1+json");
    return result;
}

QStringList platformStrings(const TagGroup &group)
{
    QStringList result;
    for (const Platform &platform : group.platforms())
        result.append(platform.toString());
    return result;
}

} // namespace

class tst_TagGrouping final : public QObject
{
    Q_OBJECT

private slots:
    void tagOrder_data();
    void tagOrder();
    void groupOrder();
    void sameDateGroupsByVersion();
    void mergesImagesSizesAndDates();
    void tagsWithoutDigest();
    void tagsNotLookedUpShareOneGroupLast();
    void attestationsAreNotPlatforms();
    void empty();
    void tenThousandTags();
};

void tst_TagGrouping::tagOrder_data()
{
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("alpine aliases") << QStringList{QStringLiteral("alpine3.10"),
                                                   QStringLiteral("15-alpine3.10"),
                                                   QStringLiteral("15.0.1-alpine3.10")}
                                    << QStringList{QStringLiteral("15.0.1-alpine3.10"),
                                                   QStringLiteral("15-alpine3.10"),
                                                   QStringLiteral("alpine3.10")};
    QTest::newRow("versions first, then names by length") << QStringList{QStringLiteral("20.1"),
                                                                         QStringLiteral("iron"),
                                                                         QStringLiteral("20"),
                                                                         QStringLiteral("lts")}
                                                          << QStringList{QStringLiteral("20.1"),
                                                                         QStringLiteral("20"),
                                                                         QStringLiteral("iron"),
                                                                         QStringLiteral("lts")};
    QTest::newRow("release aliases") << QStringList{QStringLiteral("latest"),
                                                    QStringLiteral("3"),
                                                    QStringLiteral("3.19.1"),
                                                    QStringLiteral("3.19")}
                                     << QStringList{QStringLiteral("3.19.1"),
                                                    QStringLiteral("3.19"),
                                                    QStringLiteral("3"),
                                                    QStringLiteral("latest")};
    QTest::newRow("single") << QStringList{QStringLiteral("latest")}
                            << QStringList{QStringLiteral("latest")};
}

void tst_TagGrouping::tagOrder()
{
    QFETCH(QStringList, tags);
    QFETCH(QStringList, expected);

    QList<TagInfo> input;
    for (const QString &name : tags)
        input.append(tag(name, "one", at(1)));
    const QList<TagGroup> groups = groupTagsByDigest(input);
    QCOMPARE(groups.size(), 1);
    QCOMPARE(groups.first().tags, expected);
    QCOMPARE(groups.first().digest, digestOf("one"));
}

void tst_TagGrouping::groupOrder()
{
    const QList<TagInfo> input{
        tag(QStringLiteral("old"), "a", at(1)),
        tag(QStringLiteral("new"), "b", at(3)),
        tag(QStringLiteral("also-old"), "a", at(2)),
        tag(QStringLiteral("undated"), "c", {}),
        tag(QStringLiteral("zz-tie"), "d", at(3)),
    };
    const QList<TagGroup> groups = groupTagsByDigest(input);
    QCOMPARE(groups.size(), 4);
    // Newest first; equal dates by first tag, the higher version first; undated last.
    QCOMPARE(groups.at(0).tags, QStringList{QStringLiteral("zz-tie")});
    QCOMPARE(groups.at(1).tags, QStringList{QStringLiteral("new")});
    QCOMPARE(groups.at(2).tags, QStringList({QStringLiteral("also-old"), QStringLiteral("old")}));
    QCOMPARE(groups.at(2).lastPushed, at(2));
    QCOMPARE(groups.at(3).tags, QStringList{QStringLiteral("undated")});
    QVERIFY(!groups.at(3).lastPushed.isValid());
}

void tst_TagGrouping::sameDateGroupsByVersion()
{
    // A registry whose images carry no dates (or one date): the highest version first, as the
    // newest image would be, numbers read as numbers.
    const QList<TagInfo> input{
        tag(QStringLiteral("1.9"), "a", {}),
        tag(QStringLiteral("latest"), "b", {}),
        tag(QStringLiteral("1.10"), "b", {}),
        tag(QStringLiteral("2"), "c", {}),
        tag(QStringLiteral("10"), "d", {}),
    };
    QStringList leaders;
    for (const TagGroup &group : groupTagsByDigest(input))
        leaders.append(group.tags.first());
    QCOMPARE(leaders,
             QStringList({QStringLiteral("10"),
                          QStringLiteral("2"),
                          QStringLiteral("1.10"),
                          QStringLiteral("1.9")}));
}

void tst_TagGrouping::mergesImagesSizesAndDates()
{
    const QString linux = QStringLiteral("linux");
    const QList<TagInfo> input{
        tag(QStringLiteral("15"),
            "x",
            at(1),
            100,
            {image(linux, QStringLiteral("amd64"), {}, 40, at(1))}),
        tag(QStringLiteral("15.0"),
            "x",
            at(1),
            300,
            {image(linux, QStringLiteral("amd64"), {}, 45, at(1)),
             image(linux, QStringLiteral("arm64"), QStringLiteral("v8"), 42, at(4, 6))}),
        tag(QStringLiteral("15.0.1"),
            "x",
            at(2),
            200,
            {image(linux, QStringLiteral("arm"), QStringLiteral("v7"), 39, at(1))}),
    };
    const QList<TagGroup> groups = groupTagsByDigest(input);
    QCOMPARE(groups.size(), 1);
    const TagGroup &group = groups.first();
    QCOMPARE(group.size, 300);
    QCOMPARE(group.lastPushed, at(4, 6)); // an image pushed after every tag's update
    QCOMPARE(group.mediaType, QStringLiteral("application/vnd.oci.image.index.v1+json"));
    QCOMPARE(platformStrings(group),
             QStringList({QStringLiteral("linux/amd64"),
                          QStringLiteral("linux/arm64/v8"),
                          QStringLiteral("linux/arm/v7")}));
    QCOMPARE(group.images.first().size, 45);
}

void tst_TagGrouping::tagsWithoutDigest()
{
    const QList<TagInfo> input{
        tag(QStringLiteral("pending-a"), {}, at(1)),
        tag(QStringLiteral("pending-b"), {}, at(1)),
        tag(QStringLiteral("real"), "r", at(1)),
    };
    const QList<TagGroup> groups = groupTagsByDigest(input);
    QCOMPARE(groups.size(), 3);
    for (const TagGroup &group : groups)
        QCOMPARE(group.tags.size(), 1);
    QCOMPARE(groups.at(0).tags.first(), QStringLiteral("real"));
    QCOMPARE(groups.at(1).tags.first(), QStringLiteral("pending-b"));
    QVERIFY(!groups.at(1).digest.isValid());
    QCOMPARE(groups.at(2).tags.first(), QStringLiteral("pending-a"));
    QVERIFY(!groups.at(2).digest.isValid());
}

void tst_TagGrouping::tagsNotLookedUpShareOneGroupLast()
{
    // A registry's tags past the cap of digest look-ups: one "digest unknown" group, after every
    // dated and undated group, apart from the Hub's tags without a digest.
    TagInfo lateA = tag(QStringLiteral("late-a"), {}, {});
    lateA.digestNotLookedUp = true;
    TagInfo lateB = lateA;
    lateB.name = QStringLiteral("late-b");
    const QList<TagInfo> input{
        lateA,
        tag(QStringLiteral("real"), "r", at(1)),
        lateB,
        tag(QStringLiteral("pending"), {}, {}),
    };
    const QList<TagGroup> groups = groupTagsByDigest(input);
    QCOMPARE(groups.size(), 3);
    QCOMPARE(groups.at(0).tags, QStringList{QStringLiteral("real")});
    QCOMPARE(groups.at(1).tags, QStringList{QStringLiteral("pending")});
    QVERIFY(!groups.at(1).digestUnknown);
    QVERIFY(groups.at(2).digestUnknown);
    QVERIFY(!groups.at(2).digest.isValid());
    QCOMPARE(groups.at(2).tags, (QStringList{QStringLiteral("late-a"), QStringLiteral("late-b")}));
}

void tst_TagGrouping::attestationsAreNotPlatforms()
{
    const QList<TagInfo> input{
        tag(QStringLiteral("1"),
            "y",
            at(1),
            0,
            {image(QStringLiteral("linux"), QStringLiteral("amd64"), {}, 10),
             image(QStringLiteral("unknown"), QStringLiteral("unknown"), {}, 1)}),
    };
    const QList<TagGroup> groups = groupTagsByDigest(input);
    QCOMPARE(groups.first().images.size(), 2); // kept as the Hub listed them
    QCOMPARE(platformStrings(groups.first()), QStringList{QStringLiteral("linux/amd64")});
}

void tst_TagGrouping::empty()
{
    QVERIFY(groupTagsByDigest({}).isEmpty());
}

void tst_TagGrouping::tenThousandTags()
{
    QList<TagInfo> input;
    input.reserve(10000);
    const QList<PlatformImage> images{
        image(QStringLiteral("linux"), QStringLiteral("amd64"), {}, 10),
        image(QStringLiteral("linux"), QStringLiteral("arm64"), QStringLiteral("v8"), 11),
        image(QStringLiteral("linux"), QStringLiteral("arm"), QStringLiteral("v7"), 12),
    };
    // Tags of one digest far apart in the list, as on the Hub's pages.
    for (int i = 0; i < 10000; ++i)
        input.append(tag(QStringLiteral("v%1").arg(i),
                         QByteArray::number(i % 700),
                         at(1).addSecs(i),
                         i,
                         images));

    // The best of a few runs: this machine is shared, a single run mostly measures the others.
    QList<TagGroup> groups;
    qint64 best = std::numeric_limits<qint64>::max();
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer timer;
        timer.start();
        groups = groupTagsByDigest(input);
        best = std::min(best, timer.nsecsElapsed());
    }
    qDebug("grouped 10000 tags into %lld groups in %.2f ms (best of 5)",
           qlonglong(groups.size()),
           double(best) / 1e6);

    QCOMPARE(groups.size(), 700);
    qsizetype total = 0;
    for (const TagGroup &group : groups) {
        total += group.tags.size();
        QCOMPARE(group.images.size(), 3);
    }
    QCOMPARE(total, 10000);
    QCOMPARE(groups.first().lastPushed, at(1).addSecs(9999));
}

QTEST_GUILESS_MAIN(tst_TagGrouping)
#include "tst_taggrouping.moc"
