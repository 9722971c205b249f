// berthctl images --format '{{.Repository}}:{{.Tag}}' (docker's spelling, used by the shell
// completions): every accepted form and every refused one.
#include "formattemplate.h"

#include <QTest>

using namespace Berth;
using namespace Berth::Cli;
using namespace Qt::StringLiterals;

class TestFormatTemplate final : public QObject
{
    Q_OBJECT

    static QHash<QString, QString> row()
    {
        return {{u"Repository"_s, u"127.0.0.1:5000/berth/busybox"_s},
                {u"Tag"_s, u"1.0"_s},
                {u"ID"_s, u"0123456789ab"_s}};
    }

private slots:
    void isTemplate_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("expected");
        QTest::newRow("text") << u"text"_s << false;
        QTest::newRow("json") << u"json"_s << false;
        QTest::newRow("field") << u"{{.ID}}"_s << true;
        QTest::newRow("unclosed") << u"x{{"_s << true;
        QTest::newRow("single braces") << u"{.ID}"_s << false;
    }

    void isTemplate()
    {
        QFETCH(QString, format);
        QFETCH(bool, expected);
        QCOMPARE(isFormatTemplate(format), expected);
    }

    void expands_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("expected");
        QTest::newRow("name") << u"{{.Repository}}:{{.Tag}}"_s
                              << u"127.0.0.1:5000/berth/busybox:1.0"_s;
        QTest::newRow("spaces inside braces") << u"{{ .ID }}"_s << u"0123456789ab"_s;
        QTest::newRow("text around")
            << u"id={{.ID}} tag={{.Tag}}!"_s << u"id=0123456789ab tag=1.0!"_s;
        QTest::newRow("twice") << u"{{.Tag}}{{.Tag}}"_s << u"1.01.0"_s;
        QTest::newRow("tab") << u"{{.Repository}}\t{{.Tag}}"_s
                             << u"127.0.0.1:5000/berth/busybox\t1.0"_s;
        QTest::newRow("lone closing braces kept") << u"}}{{.Tag}}"_s << u"}}1.0"_s;
        QTest::newRow("no field") << u"plain"_s << u"plain"_s;
    }

    void expands()
    {
        QFETCH(QString, format);
        QFETCH(QString, expected);
        const Result<QString> out = expandFormatTemplate(format, row());
        QVERIFY2(out, qPrintable(out ? QString() : out.error().message));
        QCOMPARE(*out, expected);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("named"); // what the message must quote
        QTest::newRow("unknown field") << u"{{.Repo}}"_s << u".Repo"_s;
        QTest::newRow("case matters") << u"{{.repository}}"_s << u".repository"_s;
        QTest::newRow("no dot") << u"{{ID}}"_s << u"'ID'"_s;
        QTest::newRow("empty") << u"{{}}"_s << u"''"_s;
        QTest::newRow("go logic") << u"{{if .Tag}}x{{end}}"_s << u"if .Tag"_s;
        QTest::newRow("unclosed") << u"{{.Tag"_s << u"{{.Tag"_s;
        QTest::newRow("unclosed after a field") << u"{{.Tag}}:{{"_s << u"{{.Tag}}:{{"_s;
    }

    void refuses()
    {
        QFETCH(QString, format);
        QFETCH(QString, named);
        const Result<QString> out = expandFormatTemplate(format, row());
        QVERIFY(!out);
        QCOMPARE(out.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(out.error().message.contains(named), qPrintable(out.error().message));
        const Status checked = checkFormatTemplate(format, row().keys());
        QVERIFY(!checked);
        QCOMPARE(checked.error().message, out.error().message);
    }

    void unknownFieldListsTheKnownOnes()
    {
        const Result<QString> out = expandFormatTemplate(u"{{.Digest}}"_s, row());
        QVERIFY(!out);
        QVERIFY2(out.error().message.contains(u".ID, .Repository, .Tag"),
                 qPrintable(out.error().message));
    }
};

QTEST_GUILESS_MAIN(TestFormatTemplate)
#include "tst_formattemplate.moc"
