// InlineMessage (the one message widget: text, actions, close) and the state chips' colours.
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

// WCAG's relative luminance and contrast ratio: 4.5 is the bar for normal text.
double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

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
    QVERIFY2(contrast(c.text, c.fill) >= 4.5,
             qPrintable(u"contrast %1"_s.arg(contrast(c.text, c.fill))));
    // The chip stands out from the window it sits on.
    QVERIFY(c.fill != window);
}

QTEST_MAIN(TestInlineMessage)
#include "tst_inlinemessage.moc"
