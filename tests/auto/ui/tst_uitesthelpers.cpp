// BerthTest::child (uitesthelpers.h), which the widget tests use instead of getters: the one
// child of a type with an object name, at any depth; none, two, or one of another type fail
// the test (an expected failure here) and give nullptr.

#include "uitesthelpers.h"

#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_UiTestHelpers final : public QObject
{
    Q_OBJECT

private slots:
    void child_data();
    void child();
};

void tst_UiTestHelpers::child_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("found");
    QTest::newRow("direct child") << u"direct"_s << true;
    QTest::newRow("grandchild") << u"nested"_s << true;
    QTest::newRow("none") << u"absent"_s << false;
    QTest::newRow("two") << u"twice"_s << false;
    QTest::newRow("another type") << u"label"_s << false;
}

void tst_UiTestHelpers::child()
{
    QFETCH(QString, name);
    QFETCH(bool, found);
    QWidget root;
    auto *direct = new QLineEdit(&root);
    direct->setObjectName(u"direct"_s);
    auto *box = new QWidget(&root);
    auto *nested = new QLineEdit(box);
    nested->setObjectName(u"nested"_s);
    (new QLineEdit(&root))->setObjectName(u"twice"_s);
    (new QLineEdit(box))->setObjectName(u"twice"_s);
    (new QLabel(&root))->setObjectName(u"label"_s);
    const QHash<QString, QLineEdit *> expected{{u"direct"_s, direct}, {u"nested"_s, nested}};

    if (!found)
        QEXPECT_FAIL("", "child() fails the test when there is not exactly one", Continue);
    QLineEdit *edit = BerthTest::child<QLineEdit>(&root, name);
    // Checked twice: had child() not failed, the first check would take the expected failure.
    QCOMPARE(edit, expected.value(name));
    QCOMPARE(edit, expected.value(name));
}

QTEST_MAIN(tst_UiTestHelpers)

#include "tst_uitesthelpers.moc"
