#include "noticebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace Berth {

NoticeBar::NoticeBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("Try again"), this))
{
    setObjectName(QStringLiteral("noticeBar"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    setAccessibleName(tr("Message"));

    m_text->setObjectName(QStringLiteral("noticeText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_retry->setObjectName(QStringLiteral("noticeRetry"));
    m_retry->setAccessibleName(tr("Try again"));
    connect(m_retry, &QPushButton::clicked, this, &NoticeBar::retryRequested);

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignVCenter);
    hide();
}

void NoticeBar::setIcon(bool error)
{
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    const QIcon icon = style()->standardIcon(
        error ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxInformation, nullptr, this);
    m_icon->setPixmap(icon.pixmap(size, size));
}

void NoticeBar::showError(const QString &message, const QString &advice, bool retry)
{
    setIcon(true);
    m_text->setText(advice.isEmpty() ? message : message + u'\n' + advice);
    setAccessibleDescription(m_text->text());
    m_retry->setVisible(retry);
    show();
}

void NoticeBar::showInformation(const QString &message)
{
    setIcon(false);
    m_text->setText(message);
    setAccessibleDescription(message);
    m_retry->hide();
    show();
}

void NoticeBar::clear()
{
    m_text->clear();
    hide();
}

QString NoticeBar::text() const
{
    return isHidden() ? QString() : m_text->text();
}

QString hubAdvice(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Tls:
        return NoticeBar::tr("Check your internet connection, or the Docker Hub address in "
                             "Settings, then try again.");
    case Error::Kind::RateLimited:
        return NoticeBar::tr("Docker Hub limits how many requests an address may make; wait a "
                             "moment, or log in to Docker Hub, then try again.");
    case Error::Kind::Server:
        return NoticeBar::tr("Docker Hub is having trouble; try again in a few minutes.");
    case Error::Kind::Protocol:
        return NoticeBar::tr("Check that the Docker Hub address in Settings points at Docker Hub.");
    case Error::Kind::NotFound:
        return NoticeBar::tr("Check the repository name; search for it on the Explore page.");
    case Error::Kind::InvalidArgument:
        return NoticeBar::tr("Refine the search to find other repositories.");
    default:
        return NoticeBar::tr("Try again in a moment.");
    }
}

QString registryAdvice(const Error &error, const QString &registry)
{
    switch (error.kind) {
    case Error::Kind::Network:
        return NoticeBar::tr("Check that %1 is running and reachable from this computer, then "
                             "try again.")
            .arg(registry);
    case Error::Kind::Tls:
        return NoticeBar::tr("If you trust this network, allow plain HTTP for %1 in Settings.")
            .arg(registry);
    case Error::Kind::Unauthorized:
    case Error::Kind::Denied:
        return NoticeBar::tr("Log in to %1 with an account that may read this repository.")
            .arg(registry);
    case Error::Kind::NotFound:
        return NoticeBar::tr("Check the name; the tag or repository may have been deleted.");
    case Error::Kind::RateLimited:
        return NoticeBar::tr("%1 limits how many requests an address may make; wait a moment, or "
                             "log in, then try again.")
            .arg(registry);
    case Error::Kind::Server:
        return NoticeBar::tr("%1 is having trouble; try again in a few minutes.").arg(registry);
    default:
        return NoticeBar::tr("Try again in a moment.");
    }
}

} // namespace Berth
