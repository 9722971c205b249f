#include "share/sharewording.h"

#include "sharewizard.h"

#include "reference/imagereference.h"

#include <QLabel>

namespace Berth {

QString registryDisplayName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? ShareWizard::tr("Docker Hub (docker.io)")
                                                         : registry;
}

QString bold(const QString &text)
{
    return u"<b>" + text.toHtmlEscaped() + u"</b>";
}

QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

} // namespace Berth
