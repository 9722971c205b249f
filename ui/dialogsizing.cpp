#include "dialogsizing.h"

#include <QLabel>
#include <QLayout>
#include <QWidget>

namespace Berth {

namespace {

// Not Ignored outright: the label still says how tall it is at a width (height for width).
void wrapWithinWidth(QLabel *label)
{
    QSizePolicy policy = label->sizePolicy();
    policy.setHorizontalPolicy(QSizePolicy::Ignored);
    policy.setHeightForWidth(true);
    label->setSizePolicy(policy);
    label->setMinimumWidth(1);
}

} // namespace

void keepSizeWhileTyping(QWidget *dialog, const QList<QWidget *> &reserved)
{
    if (!dialog)
        return;
    const QList<QLabel *> labels = dialog->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->wordWrap())
            wrapWithinWidth(label);
    }
    for (QWidget *widget : reserved) {
        QSizePolicy policy = widget->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        widget->setSizePolicy(policy);
    }
}

void growToFit(QWidget *dialog)
{
    if (!dialog || !dialog->layout())
        return;
    QLayout *layout = dialog->layout();
    layout->activate();
    const int wanted = layout->hasHeightForWidth() ? layout->totalHeightForWidth(dialog->width())
                                                   : dialog->sizeHint().height();
    if (wanted > dialog->height())
        dialog->resize(dialog->width(), wanted);
}

} // namespace Berth
