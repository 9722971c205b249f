// InlineMessage (the one message widget: text, actions, close) and the state chips' colours.
#include "colourcontrast.h"
#include "inlinemessage.h"
#include "statechip.h"

#include <QAction>
#include <QPalette>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

QPalette paletteWithWindow(const QColor &window)
{
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    return palette;
}

} // namespace

class TestInlineMessage : public QObject
{
    Q_OBJECT

private slots:
    void actionsBecomeButtons();
    void laterMessageReplacesActions();
    void errorWithAdvice();
    void closeHidesAndDropsActions();
    void chipTextKeepsContrast_data();
    void chipTextKeepsContrast();
};

void TestInlineMessage::actionsBecomeButtons()
{
    InlineMessage message;
    QAction *retry = tryAgainAction(&message);
    QAction login(u"Log In…"_s);
    login.setObjectName(u"login"_s);
    message.showMessage(
        InlineMessage::Kind::Error, u"Docker Hub did not answer."_s, {retry, &login});

    QVERIFY(!message.isHidden());
    QCOMPARE(message.messageActions(), (QList<QAction *>{retry, &login}));
    auto *button = message.findChild<QPushButton *>(u"noticeRetry"_s);
    QVERIFY(button);
    QCOMPARE(button->text(), retry->text());
    QCOMPARE(button->accessibleName(), u"Try again"_s);
    QSignalSpy triggered(&login, &QAction::triggered);
    message.findChild<QPushButton *>(u"login"_s)->click();
    QCOMPARE(triggered.size(), 1);
}

void TestInlineMessage::laterMessageReplacesActions()
{
    InlineMessage message;
    QAction *retry = tryAgainAction(&message);
    message.showError(u"Failed."_s, u"Try again in a moment."_s, {retry});
    message.showInformation(u"Loaded."_s);
    QVERIFY(message.messageActions().isEmpty());
    QVERIFY(!message.findChild<QPushButton *>(u"noticeRetry"_s));
    QCOMPARE(message.kind(), InlineMessage::Kind::Information);
}

void TestInlineMessage::errorWithAdvice()
{
    InlineMessage message;
    message.showError(u"localhost:5000 refused the connection."_s, u"Check that it runs."_s);
    QCOMPARE(message.kind(), InlineMessage::Kind::Error);
    QCOMPARE(message.text(), u"localhost:5000 refused the connection.\nCheck that it runs."_s);
}

void TestInlineMessage::closeHidesAndDropsActions()
{
    InlineMessage message;
    message.showError(u"Failed."_s, {}, {tryAgainAction(&message)});
    message.clear();
    QVERIFY(message.isHidden());
    QVERIFY(message.text().isEmpty());
    QVERIFY(message.messageActions().isEmpty());
}

void TestInlineMessage::chipTextKeepsContrast_data()
{
    QTest::addColumn<QColor>("window");
    QTest::addColumn<int>("kind");
    const QList<std::pair<const char *, QColor>> windows
        = {{"light", QColor(0xef, 0xf0, 0xf1)}, {"dark", QColor(0x20, 0x23, 0x26)}};
    for (const auto &[name, window] : windows) {
        for (int kind = 0; kind <= int(ChipKind::Neutral); ++kind)
            QTest::addRow("%s, kind %d", name, kind) << window << kind;
    }
}

void TestInlineMessage::chipTextKeepsContrast()
{
    QFETCH(QColor, window);
    QFETCH(int, kind);
    const QPalette palette = paletteWithWindow(window);
    const StateChip::Colours c = StateChip::colours(ChipKind(kind), palette);
    QVERIFY2(contrastRatio(c.text, c.fill) >= ReadableContrast,
             qPrintable(u"contrast %1"_s.arg(contrastRatio(c.text, c.fill))));
    // The chip stands out from the window it sits on.
    QVERIFY(c.fill != window);
}

QTEST_MAIN(TestInlineMessage)
#include "tst_inlinemessage.moc"
