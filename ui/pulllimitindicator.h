#pragma once

#include "registry/pullratelimit.h"

#include <QLabel>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Berth {

class RegistryTransport;

// Docker Hub's pull limit in the status bar: "Pulls left: 76 of 100 per 6 hours", from the
// limit the registry's last answer stated. Hidden until an answer states one, and again once
// the stated window has passed (the count is stale by then). The tooltip has the limit, the
// window, what the limit applies to and when it was seen; few pulls left shows in a warning
// colour.
class PullLimitIndicator final : public QLabel
{
    Q_OBJECT

public:
    explicit PullLimitIndicator(RegistryTransport *transport, QWidget *parent = nullptr);

    // The registry followed: Docker Hub ("docker.io") unless a test names another.
    void setRegistry(const QString &registry);
    QString registry() const { return m_registry; }
    std::optional<PullRateLimit> limit() const { return m_limit; }
    // Few pulls left: at most a tenth of the limit, or 10 when the limit is not stated.
    static bool isLow(const PullRateLimit &limit);

protected:
    void changeEvent(QEvent *event) override;

private:
    void seen(const QString &registry, const PullRateLimit &limit);
    void refresh();
    QString toolTipText() const;

    QPointer<RegistryTransport> m_transport;
    QString m_registry;
    std::optional<PullRateLimit> m_limit;
    QTimer m_expiry;
};

// "6 hours", "15 minutes", "45 seconds": a window as the indicator and the pull dialog say it.
QString pullWindowText(int seconds);
// "Docker Hub" for docker.io, else the registry's host.
QString pullLimitRegistryName(const QString &registry);

} // namespace Berth
