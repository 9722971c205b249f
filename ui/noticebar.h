#pragma once

#include "common/result.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace Berth {

// An inline message where something failed: what happened, what to do next, and an optional
// "Try again" button. Palette colours only, so it follows light and dark themes.
class NoticeBar final : public QFrame
{
    Q_OBJECT

public:
    explicit NoticeBar(QWidget *parent = nullptr);

    // Shows the message; with retry, a "Try again" button that emits retryRequested().
    void showError(const QString &message, const QString &advice = {}, bool retry = false);
    void showInformation(const QString &message);
    void clear(); // hides it
    QString text() const;

signals:
    void retryRequested();

private:
    void setIcon(bool error);

    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_retry;
};

// What the user can do about a failure, in their terms, for errors from Docker Hub's API and
// from a registry (`registry` names it: "docker.io", "localhost:5000").
QString hubAdvice(const Error &error);
QString registryAdvice(const Error &error, const QString &registry);

} // namespace Berth
