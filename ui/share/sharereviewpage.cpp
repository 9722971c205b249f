#include "share/sharereviewpage.h"

#include "share/sharewording.h"
#include "transfermanager.h"

#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace Berth {

ShareReviewPage::ShareReviewPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("reviewPage"));
    setTitle(tr("Review"));
    setSubTitle(tr("Check what will happen, then push."));
    setButtonText(QWizard::NextButton, tr("&Push"));
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setAccessibleName(tr("Summary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addStretch();
}

void ShareReviewPage::initializePage()
{
    const QList<ShareWizard::PushTarget> targets = m_wizard->pushTargets();
    const QString registry = registryDisplayName(m_wizard->destinationRegistry());
    QStringList items;
    for (const ShareWizard::PushTarget &t : targets) {
        if (!TransferManager::isNamed(t.source, t.target))
            items.append(tr("Tag %1 as %2").arg(bold(t.source), bold(t.target.familiarString())));
        items.append(tr("Push %1").arg(bold(t.target.familiarString())));
    }
    const QString account = m_wizard->account();
    const QString who = account.isEmpty()
                            ? tr("Will push to %1 without a login.").arg(bold(registry))
                            : tr("Will push to %1 as %2.").arg(bold(registry), bold(account));
    QString html = QStringLiteral("<ul>");
    for (const QString &item : std::as_const(items))
        html += u"<li>" + item + u"</li>";
    html += u"</ul><p>" + who + u"</p>";
    m_summary->setText(html);
    QString plain = html;
    plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    m_summary->setAccessibleDescription(plain);
}

} // namespace Berth
