#pragma once

#include <QTextBrowser>

namespace Berth {

// A repository's overview: Markdown written by whoever publishes on the Hub, so nothing in it is
// trusted. It renders GitHub Markdown without raw HTML, loads no file or network resource (images
// are inline data: images of bounded size, else nothing), never navigates, and hands only http(s)
// links to the desktop's browser.
class OverviewBrowser final : public QTextBrowser
{
    Q_OBJECT

public:
    // Inline (data:) images past these, in bytes or pixels a side, show as nothing, like any
    // image from elsewhere.
    static constexpr qsizetype MaxImageBytes = 1024 * 1024;
    static constexpr int MaxImageSide = 4096;
    // The Hub caps an overview at 25,000 characters. Past that it is not an overview, and one long
    // paragraph of tiny spans ("*a*a*a…") takes the layout time that grows with its square.
    static constexpr qsizetype MaxMarkdownLength = 25'000;

    explicit OverviewBrowser(QWidget *parent = nullptr);

    void showMarkdown(const QString &markdown);

    QVariant loadResource(int type, const QUrl &name) override;

private:
    void openLink(const QUrl &url);
};

} // namespace Berth
