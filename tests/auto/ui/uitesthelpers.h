#pragma once

// Small helpers shared by the widget tests of the local side: waiting for a modal dialog the code
// opened with open(), and checking that every control a user can reach has a name that assistive
// technologies can read.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTest>

namespace BerthTest {

// The modal dialog of type T that is (or becomes) active; nullptr when none came.
template<typename T>
T *waitForModal(int timeoutMs = 10000)
{
    T *dialog = nullptr;
    const bool came = QTest::qWaitFor(
        [&] {
            dialog = qobject_cast<T *>(QApplication::activeModalWidget());
            return dialog != nullptr;
        },
        timeoutMs);
    return came ? dialog : nullptr;
}

// Controls under root (buttons, fields, lists) whose accessible name is empty.
inline QStringList unnamedControls(QWidget *root)
{
    QStringList unnamed;
    const QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root) || w->objectName().startsWith(u"qt_"))
            continue;
        // A combo box's own editor is named through the combo box, a header through its view.
        if (qobject_cast<QComboBox *>(w->parentWidget()) || qobject_cast<QHeaderView *>(w))
            continue;
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
                             || qobject_cast<QComboBox *>(w)
                             || qobject_cast<QAbstractItemView *>(w);
        if (!control)
            continue;
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        if (!iface || iface->text(QAccessible::Name).trimmed().isEmpty())
            unnamed.append(QString::fromLatin1(w->metaObject()->className()) + u' '
                           + w->objectName());
    }
    return unnamed;
}

} // namespace BerthTest
