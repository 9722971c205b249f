#pragma once

// Small helpers shared by the widget tests: finding a widget by its object name, waiting for a
// modal dialog the code opened with open(), and checking that every control a user can reach has
// a name that assistive technologies can read.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTest>

#include <source_location>

namespace BerthTest {

// The one child of `parent` (at any depth) of type T whose object name is `name`: tests reach a
// window's widgets, actions and models by the names the code gives them, as Dolphin's main-window
// test does, not through getters kept only for them. None, or more than one, fails the test with
// the name looked for (and returns nullptr).
template<typename T>
T *child(const QObject *parent,
         const QString &name,
         const std::source_location where = std::source_location::current())
{
    const QList<T *> found = parent->findChildren<T *>(name);
    if (found.size() == 1)
        return found.first();
    QTest::qFail(qPrintable(QStringLiteral("%1 %2 named \"%3\" under %4 \"%5\", not one")
                                .arg(found.size())
                                .arg(QString::fromLatin1(T::staticMetaObject.className()),
                                     name,
                                     QString::fromLatin1(parent->metaObject()->className()),
                                     parent->objectName())),
                 where.file_name(),
                 int(where.line()));
    return nullptr;
}

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
