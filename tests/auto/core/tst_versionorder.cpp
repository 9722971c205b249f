#include "reference/versionorder.h"

#include <QTest>

#include <algorithm>

using namespace Berth;
using namespace Qt::StringLiterals;

class tst_VersionOrder final : public QObject
{
    Q_OBJECT

private slots:
    void pairs_data();
    void pairs();
    void sortedList_data();
    void sortedList();
    void mostSpecificFirst_data();
    void mostSpecificFirst();
};

void tst_VersionOrder::pairs_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");

    // first sorts strictly before second.
    QTest::newRow("1 < 2") << u"1"_s << u"2"_s;
    QTest::newRow("2 < 10") << u"2"_s << u"10"_s;
    QTest::newRow("1.9 < 1.10") << u"1.9"_s << u"1.10"_s;
    QTest::newRow("3.19 < 3.19.1") << u"3.19"_s << u"3.19.1"_s;
    QTest::newRow("3.9.9 < 3.19") << u"3.9.9"_s << u"3.19"_s;
    QTest::newRow("plain before suffix") << u"3.19"_s << u"3.19-alpine"_s;
    QTest::newRow("suffix before next patch") << u"3.19-alpine"_s << u"3.19.1"_s;
    QTest::newRow("suffix numbers") << u"18-alpine3.9"_s << u"18-alpine3.10"_s;
    QTest::newRow("suffixes alphabetical") << u"18-alpine"_s << u"18-bookworm"_s;
    QTest::newRow("suffix case-insensitive") << u"18-Alpine"_s << u"18-bookworm"_s;
    QTest::newRow("version before name") << u"99"_s << u"alpine"_s;
    QTest::newRow("version before latest") << u"1.0"_s << u"latest"_s;
    QTest::newRow("names alphabetical") << u"bookworm"_s << u"latest"_s;
    QTest::newRow("names with numbers") << u"alpine3.9"_s << u"alpine3.10"_s;
    QTest::newRow("v prefix is a version") << u"v2"_s << u"v10"_s;
    QTest::newRow("v prefix among plain") << u"2"_s << u"v3"_s;
    QTest::newRow("ties broken by text") << u"1"_s << u"v1"_s;
    QTest::newRow("leading zero tie") << u"01"_s << u"1"_s;
    QTest::newRow("huge numbers") << u"99999999999999999999"_s << u"100000000000000000000"_s;
    QTest::newRow("date tags") << u"20240101"_s << u"20240315"_s;
    QTest::newRow("rc is a suffix") << u"1.0"_s << u"1.0-rc1"_s;
    QTest::newRow("v alone is a name") << u"8"_s << u"v"_s;
}

void tst_VersionOrder::pairs()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QVERIFY(compareTagVersions(first, second) < 0);
    QVERIFY(compareTagVersions(second, first) > 0);
    QVERIFY(tagVersionLess(first, second));
    QVERIFY(!tagVersionLess(second, first));
    QCOMPARE(compareTagVersions(first, first), 0);
}

void tst_VersionOrder::sortedList_data()
{
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("node-like") << QStringList{u"3"_s,
                                              u"3-alpine"_s,
                                              u"3.9"_s,
                                              u"3.19"_s,
                                              u"3.19-alpine"_s,
                                              u"3.19.1"_s,
                                              u"3.19.1-alpine"_s,
                                              u"3.19.1-alpine3.19"_s,
                                              u"10"_s,
                                              u"alpine"_s,
                                              u"bookworm"_s,
                                              u"latest"_s};
    QTest::newRow("numbers") << QStringList{u"1"_s, u"2"_s, u"9"_s, u"10"_s, u"11"_s, u"100"_s};
    QTest::newRow("names only") << QStringList{
        u"alpine3.9"_s, u"alpine3.10"_s, u"edge"_s, u"latest"_s, u"stable"_s};
}

void tst_VersionOrder::sortedList()
{
    QFETCH(QStringList, expected);
    QStringList shuffled = expected;
    std::reverse(shuffled.begin(), shuffled.end());
    std::rotate(shuffled.begin(), shuffled.begin() + shuffled.size() / 2, shuffled.end());
    std::sort(shuffled.begin(), shuffled.end(), [](const QString &a, const QString &b) {
        return tagVersionLess(a, b);
    });
    QCOMPARE(shuffled, expected);
}

void tst_VersionOrder::mostSpecificFirst_data()
{
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("alpine release") << QStringList{u"3.19.1"_s, u"3.19"_s, u"3"_s, u"latest"_s};
    QTest::newRow("suffixed aliases")
        << QStringList{u"15.0.1-alpine3.10"_s, u"15-alpine3.10"_s, u"alpine3.10"_s};
    QTest::newRow("longer suffix first")
        << QStringList{u"3.19.1-alpine3.19"_s, u"3.19.1-alpine"_s, u"3.19-alpine"_s};
    QTest::newRow("plain version leads its flavours") << QStringList{
        u"20.11.0"_s, u"20.11.0-bookworm"_s, u"20"_s, u"20-bookworm"_s, u"bookworm"_s, u"latest"_s};
    QTest::newRow("v prefixed twin after plain") << QStringList{u"1.0.0"_s, u"v1.0.0"_s, u"1.0"_s};
    QTest::newRow("names by length")
        << QStringList{u"20.1"_s, u"20"_s, u"bookworm"_s, u"iron"_s, u"lts"_s};
    QTest::newRow("v prefix") << QStringList{u"v1.2.3"_s, u"v1.2"_s, u"v1"_s, u"stable"_s};
}

void tst_VersionOrder::mostSpecificFirst()
{
    QFETCH(QStringList, expected);
    QStringList shuffled = expected;
    std::reverse(shuffled.begin(), shuffled.end());
    std::sort(shuffled.begin(), shuffled.end(), [](const QString &a, const QString &b) {
        return moreSpecificTag(a, b);
    });
    QCOMPARE(shuffled, expected);
}

QTEST_GUILESS_MAIN(tst_VersionOrder)
#include "tst_versionorder.moc"
