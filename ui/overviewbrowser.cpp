#include "overviewbrowser.h"

#include <QBuffer>
#include <QDesktopServices>
#include <QImage>
#include <QImageReader>
#include <QTextDocument>

namespace Berth {

namespace {

// Returned for every resource that is not shown: a value (not a null QVariant), so that Qt
// neither falls back to opening the name as a local file nor asks again on the next repaint.
QVariant nothingToShow(int type)
{
    if (type != QTextDocument::ImageResource)
        return QByteArray("");
    QImage blank(1, 1, QImage::Format_ARGB32);
    blank.fill(Qt::transparent);
    return blank;
}

// "data:image/png;base64,…" decoded, within the limits; a null image otherwise.
QImage dataImage(const QUrl &url)
{
    const QString text = url.toString(QUrl::FullyEncoded);
    const qsizetype comma = text.indexOf(u',');
    if (comma < 0 || text.size() - comma > OverviewBrowser::MaxImageBytes * 4 / 3 + 4)
        return {};
    const QString header = text.mid(5, comma - 5);
    const QByteArray payload = text.mid(comma + 1).toLatin1();
    const QByteArray bytes = header.endsWith(u";base64", Qt::CaseInsensitive)
                                 ? QByteArray::fromBase64(QByteArray::fromPercentEncoding(payload))
                                 : QByteArray::fromPercentEncoding(payload);
    QBuffer buffer;
    buffer.setData(bytes);
    QImageReader reader(&buffer);
    // Plain raster formats only: no vector image drawn at whatever size it asks for.
    static const QList<QByteArray> formats{"png", "jpeg", "gif", "webp", "bmp"};
    if (!formats.contains(reader.format()))
        return {};
    const QSize size = reader.size();
    if (!size.isValid() || size.width() > OverviewBrowser::MaxImageSide
        || size.height() > OverviewBrowser::MaxImageSide)
        return {};
    return reader.read();
}

} // namespace

OverviewBrowser::OverviewBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    connect(this, &QTextBrowser::anchorClicked, this, &OverviewBrowser::openLink);
}

void OverviewBrowser::showMarkdown(const QString &markdown)
{
    clear();
    // One edit block: Qt's Markdown import otherwise lays its paragraph out again after every
    // span it adds, which takes minutes for a paragraph of thousands of spans.
    QTextCursor batch(document());
    batch.beginEditBlock();
    document()->setMarkdown(markdown.left(MaxMarkdownLength),
                            QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub
                                                            | QTextDocument::MarkdownNoHTML));
    batch.endEditBlock();
    moveCursor(QTextCursor::Start);
}

QVariant OverviewBrowser::loadResource(int type, const QUrl &name)
{
    if (type == QTextDocument::ImageResource
        && name.scheme().compare(u"data", Qt::CaseInsensitive) == 0) {
        const QImage image = dataImage(name);
        if (!image.isNull())
            return image;
    }
    return nothingToShow(type);
}

void OverviewBrowser::openLink(const QUrl &url)
{
    // Relative links point into the publisher's repository, which is not here: they go nowhere.
    const QString scheme = url.scheme().toLower();
    if ((scheme == u"https" || scheme == u"http") && !url.host().isEmpty())
        QDesktopServices::openUrl(url);
}

} // namespace Berth
