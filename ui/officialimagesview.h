#pragma once

#include <QIcon>
#include <QListView>

namespace Berth {

class ImageCardDelegate;
class LogoCache;

// Explore's start page: repositories as a grid of cards (ImageCardDelegate) that wraps with the
// width; arrows move between cards, Enter activates one, the next page loads as the view
// scrolls to the end (the model's fetchMore). While it has no card it says why in its middle:
// loading, or what went wrong.
class OfficialImagesView final : public QListView
{
    Q_OBJECT

public:
    explicit OfficialImagesView(LogoCache *logos, QWidget *parent = nullptr);

    void setPlaceholder(const QIcon &icon, const QString &text);
    QString placeholderText() const { return m_placeholderText; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // As many cards as fit side by side, widened to fill the row.
    void fitCardsToWidth();

    ImageCardDelegate *m_delegate;
    int m_cardWidth = 0;
    QIcon m_placeholderIcon;
    QString m_placeholderText;
};

} // namespace Berth
