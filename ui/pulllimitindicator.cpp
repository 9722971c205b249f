#include "pulllimitindicator.h"

#include "statechip.h"

#include "reference/imagereference.h"
#include "registry/registrytransport.h"

#include <QEvent>
#include <QLocale>

#include <algorithm>
#include <limits>

namespace Berth {

QString pullWindowText(int seconds)
{
    if (seconds >= 3600 && seconds % 3600 == 0)
        return PullLimitIndicator::tr("%n hour(s)", nullptr, seconds / 3600);
    if (seconds >= 60 && seconds % 60 == 0)
        return PullLimitIndicator::tr("%n minute(s)", nullptr, seconds / 60);
    return PullLimitIndicator::tr("%n second(s)", nullptr, seconds);
}

QString pullLimitRegistryName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? PullLimitIndicator::tr("Docker Hub")
                                                         : registry;
}

PullLimitIndicator::PullLimitIndicator(RegistryTransport *transport, QWidget *parent)
    : QLabel(parent)
    , m_transport(transport)
    , m_registry(ImageReference::dockerHubDomain())
{
    setObjectName(QStringLiteral("pullLimitIndicator"));
    setAccessibleName(tr("Pull limit"));
    setTextFormat(Qt::RichText);
    hide();
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, [this] {
        m_limit.reset();
        refresh();
    });
    if (transport)
        connect(transport, &RegistryTransport::pullRateLimitSeen, this, &PullLimitIndicator::seen);
    setRegistry(m_registry);
}

void PullLimitIndicator::setRegistry(const QString &registry)
{
    m_registry = registry;
    m_limit = m_transport ? m_transport->pullRateLimit(registry) : std::nullopt;
    refresh();
}

bool PullLimitIndicator::isLow(const PullRateLimit &limit)
{
    if (limit.remaining < 0)
        return false;
    return limit.limit > 0 ? qint64(limit.remaining) * 10 <= limit.limit : limit.remaining <= 10;
}

void PullLimitIndicator::seen(const QString &registry, const PullRateLimit &limit)
{
    if (registry != m_registry)
        return;
    m_limit = limit;
    refresh();
}

void PullLimitIndicator::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    // The warning colour follows the palette (light or dark).
    if (event->type() == QEvent::PaletteChange)
        refresh();
}

void PullLimitIndicator::refresh()
{
    if (!m_limit || !m_limit->isKnown()) {
        m_expiry.stop();
        setText({});
        setToolTip({});
        hide();
        return;
    }
    const PullRateLimit &l = *m_limit;
    const QLocale locale;
    QString text;
    if (l.remaining >= 0 && l.limit >= 0 && l.windowSeconds > 0)
        text = tr("Pulls left: %1 of %2 per %3")
                   .arg(locale.toString(l.remaining),
                        locale.toString(l.limit),
                        pullWindowText(l.windowSeconds));
    else if (l.remaining >= 0 && l.limit >= 0)
        text = tr("Pulls left: %1 of %2")
                   .arg(locale.toString(l.remaining), locale.toString(l.limit));
    else if (l.remaining >= 0)
        text = tr("Pulls left: %1").arg(locale.toString(l.remaining));
    else
        text = tr("Pull limit: %1").arg(locale.toString(l.limit));
    text = text.toHtmlEscaped();
    if (isLow(l)) {
        // Breeze's warning orange, deepened on a light window and lightened on a dark one so
        // it keeps its contrast against the status bar.
        const QColor warning
            = StateChip::isDark(palette()) ? QColor(0xfd, 0xbc, 0x4b) : QColor(0xa3, 0x4d, 0x00);
        text = QStringLiteral("<span style=\"color:%1\">%2</span>").arg(warning.name(), text);
    }
    setText(text);
    setToolTip(toolTipText());
    setAccessibleDescription(toolTipText());
    if (l.windowSeconds > 0 && l.seen.isValid()) {
        const qint64 left
            = QDateTime::currentDateTimeUtc().msecsTo(l.seen.addSecs(l.windowSeconds));
        m_expiry.start(int(std::clamp<qint64>(left, 0, std::numeric_limits<int>::max())));
    }
    show();
}

QString PullLimitIndicator::toolTipText() const
{
    const PullRateLimit &l = *m_limit;
    const QString name = pullLimitRegistryName(m_registry);
    QStringList lines;
    if (l.limit >= 0 && l.windowSeconds > 0)
        lines << tr("%1 allows %n pull(s) per %2 (%3 seconds).", nullptr, l.limit)
                     .arg(name, pullWindowText(l.windowSeconds))
                     .arg(l.windowSeconds);
    else if (l.limit >= 0)
        lines << tr("%1 allows %n pull(s).", nullptr, l.limit).arg(name);
    if (l.remaining >= 0)
        lines << tr("%n pull(s) remaining.", nullptr, l.remaining);
    if (isLow(l))
        lines << tr("Few pulls are left: pulls may be refused until the window moves on.");
    if (!l.source.isEmpty())
        lines << tr("The limit applies to %1.").arg(l.source);
    if (l.seen.isValid())
        lines << tr("Stated at %1.")
                     .arg(QLocale().toString(l.seen.toLocalTime(), QLocale::ShortFormat));
    lines << tr("Only downloading a manifest counts as a pull; checking for updates does not.");
    return lines.join(u'\n');
}

} // namespace Berth
