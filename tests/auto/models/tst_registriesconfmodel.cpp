// registries.conf as Settings shows it (models/registriesconfmodel): one row per mirror, rewrite,
// insecure and blocked registry, the search registries and each problem, with the file each came
// from; the empty state names the files read. A QAbstractItemModelTester watches throughout.
#include "registriesconfmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

std::shared_ptr<const RegistriesConf> conf(const QByteArray &text)
{
    auto c = std::make_shared<RegistriesConf>();
    c->merge(u"/etc/containers/registries.conf.d/50-test.conf"_s, text);
    return c;
}

QStringList rows(const RegistriesConfModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < model.columnCount(); ++c)
            cells.append(model.index(r, c).data().toString());
        out.append(cells.join(u" | "));
    }
    return out;
}

} // namespace

class tst_RegistriesConfModel final : public QObject
{
    Q_OBJECT

private slots:
    void rows_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        const QString file = u"/etc/containers/registries.conf.d/50-test.conf"_s;
        QTest::newRow("mirrors")
            << QByteArray("[[registry]]\nlocation = \"docker.io\"\n[[registry.mirror]]\nlocation "
                          "= \"m.example.com\"\n[[registry.mirror]]\nlocation = \"d.example.com\"\n"
                          "insecure = true\npull-from-mirror = \"digest-only\"\n")
            << QStringList{
                   u"Mirror | docker.io | m.example.com | "_s + file,
                   u"Mirror | docker.io | d.example.com, insecure (pulls by digest only) | "_s
                       + file};
        QTest::newRow("rewrite, insecure, blocked")
            << QByteArray("[[registry]]\nprefix = \"a.io/team\"\nlocation = \"b.io:5000/t\"\n"
                          "insecure = true\n[[registry]]\nprefix = \"*.c.io\"\nblocked = true\n")
            << QStringList{u"Goes to | a.io/team | b.io:5000/t | "_s + file,
                           u"Insecure | b.io:5000/t |  | "_s + file,
                           u"Blocked | *.c.io |  | "_s + file};
        QTest::newRow("search")
            << QByteArray("unqualified-search-registries = [\"a.io\", \"docker.io\"]\n")
            << QStringList{
                   u"Search | a.io, docker.io | short names are looked up there, in this order | "_s
                   + file};
        QTest::newRow("problem") << QByteArray("[[registry\n")
                                 << QStringList{u"Problem |  | line 1: "_s};
        QTest::newRow("nothing configured") << QByteArray("# comments only\n") << QStringList();
    }

    void rows()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        RegistriesConfModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setConf(conf(text));
        const QStringList actual = ::rows(model);
        QCOMPARE(actual.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QVERIFY2(actual.at(i).startsWith(expected.at(i)), qPrintable(actual.at(i)));
        model.setConf(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void emptyStateNamesTheFilesRead()
    {
        RegistriesConfModel model;
        model.setConf(conf("# comments only\n"));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.emptyText().contains(u"/etc/containers/registries.conf.d/50-test.conf"_s));
        QVERIFY(model.emptyText().contains(u"none configures"_s));
        model.setConf(std::make_shared<RegistriesConf>());
        QVERIFY(model.emptyText().contains(u"No registries.conf file exists"_s));
    }
};

QTEST_GUILESS_MAIN(tst_RegistriesConfModel)
#include "tst_registriesconfmodel.moc"
