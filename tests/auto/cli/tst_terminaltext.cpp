// What berthctl makes of text a registry, the Hub or an engine chose before it reaches a terminal
// (issue 19): every control and bidi character shown as a visible escape, the rest untouched.
#include "terminaltext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Berth::Cli;
using namespace Qt::StringLiterals;

class TestTerminalText final : public QObject
{
    Q_OBJECT

private slots:
    void oneLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shown");
        QTest::newRow("plain") << u"node: JavaScript runtime"_s << u"node: JavaScript runtime"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("accents and CJK kept")
            << u"café 日本語 ünïcödé"_s << u"café 日本語 ünïcödé"_s;
        QTest::newRow("emoji (surrogate pair) kept") << u"ship 🚢"_s << u"ship 🚢"_s;
        QTest::newRow("backslash kept") << u"C:\\path \\x1b"_s << u"C:\\path \\x1b"_s;
        QTest::newRow("clear screen") << u"\x1b[2Jgone"_s << u"\\x1b[2Jgone"_s;
        QTest::newRow("window title (OSC 0, BEL)")
            << u"\x1b]0;pwned\x07"_s << u"\\x1b]0;pwned\\x07"_s;
        QTest::newRow("clipboard (OSC 52, ST)")
            << u"a\x1b]52;c;ZXZpbA==\x1b\\b"_s << u"a\\x1b]52;c;ZXZpbA==\\x1b\\b"_s;
        QTest::newRow("newline, tab, CR") << u"a\nb\tc\rd"_s << u"a\\nb\\tc\\rd"_s;
        QTest::newRow("NUL and backspace") << QString(u"a\0b\x08"_s) << u"a\\x00b\\x08"_s;
        QTest::newRow("DEL") << u"a\x7f"_s << u"a\\x7f"_s;
        QTest::newRow("C1 CSI") << u"a\u009b31mred"_s << u"a\\u009b31mred"_s;
        QTest::newRow("C1 first and last") << u"\u0080\u009f"_s << u"\\u0080\\u009f"_s;
        QTest::newRow("U+00A0 kept") << u"a\u00a0b"_s << u"a\u00a0b"_s;
        QTest::newRow("right-to-left override") << u"exe.\u202egpj"_s << u"exe.\\u202egpj"_s;
        QTest::newRow("embeddings and PDF")
            << u"\u202a\u202b\u202c\u202d"_s << u"\\u202a\\u202b\\u202c\\u202d"_s;
        QTest::newRow("isolates") << u"\u2066\u2067\u2068\u2069"_s
                                  << u"\\u2066\\u2067\\u2068\\u2069"_s;
        QTest::newRow("neighbours of the bidi ranges kept")
            << u"\u2029\u202f\u2065\u206a"_s << u"\u2029\u202f\u2065\u206a"_s;
    }

    void oneLine()
    {
        QFETCH(QString, text);
        QFETCH(QString, shown);
        QCOMPARE(terminalSafe(text), shown);
    }

    void lines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("shown");
        QTest::newRow("one line") << u"RUN make"_s << QStringList{u"RUN make"_s};
        QTest::newRow("heredoc") << u"RUN cat <<EOF\n\tindented\nEOF"_s
                                 << QStringList{u"RUN cat <<EOF"_s, u"\tindented"_s, u"EOF"_s};
        QTest::newRow("CRLF ends a line") << u"a\r\nb"_s << QStringList{u"a"_s, u"b"_s};
        QTest::newRow("lone CR shown") << u"a\rb"_s << QStringList{u"a\\rb"_s};
        QTest::newRow("escape in a line")
            << u"RUN echo\n\x1b[2J\u202e"_s << QStringList{u"RUN echo"_s, u"\\x1b[2J\\u202e"_s};
    }

    void lines()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, shown);
        QCOMPARE(terminalSafeLines(text), shown);
    }

    // JSON keeps its meaning: only the characters QJsonDocument writes raw get escaped.
    void json_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("plain") << u"é日🚢"_s << QByteArray("\"é日🚢\"");
        QTest::newRow("ESC (QJsonDocument's own escape)") << u"\x1b"_s << QByteArray("\"\\u001b\"");
        QTest::newRow("DEL") << u"\x7f"_s << QByteArray("\"\\u007f\"");
        QTest::newRow("C1") << u"\u0085\u009b"_s << QByteArray("\"\\u0085\\u009b\"");
        QTest::newRow("bidi") << u"\u202e\u2066\u2069"_s << QByteArray("\"\\u202e\\u2066\\u2069\"");
        QTest::newRow("near the bidi ranges")
            << u"\u2029\u202f\u2065"_s << QByteArray("\"\u2029\u202f\u2065\"");
    }

    void json()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, written);
        const QJsonObject object{{u"v"_s, value}};
        const QByteArray safe
            = terminalSafeJson(QJsonDocument(object).toJson(QJsonDocument::Compact));
        QCOMPARE(safe, "{\"v\":" + written + '}');
        QCOMPARE(QJsonDocument::fromJson(safe).object(), object);
    }
};

QTEST_GUILESS_MAIN(TestTerminalText)
#include "tst_terminaltext.moc"
