#include "userguidewindow.h"

#include "colourcontrast.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFile>
#include <QIcon>
#include <QPushButton>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

namespace Berth {

namespace {

const QString EnglishGuide = QStringLiteral(":/help/USER-GUIDE.md");

// After each load: every heading named with its GitHub anchor (Qt's Markdown import gives
// headings none, so the contents' "#pull-and-push" links would lead nowhere), and links in a
// colour that reads on the page.
void prepareGuide(QTextDocument *document, const QPalette &palette)
{
    const QColor linkColour
        = readableOn(palette.color(QPalette::Link), palette.color(QPalette::Base));
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextCursor cursor(block);
        if (block.blockFormat().headingLevel() > 0) {
            cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            QTextCharFormat format;
            format.setAnchor(true);
            format.setAnchorNames({headingAnchor(block.text())});
            cursor.mergeCharFormat(format);
            continue;
        }
        // Formats change the block's fragments: find the links first, then colour them.
        QList<QTextFragment> links;
        for (auto it = block.begin(); !it.atEnd(); ++it)
            if (!it.fragment().charFormat().anchorHref().isEmpty())
                links.append(it.fragment());
        QTextCharFormat format;
        format.setForeground(linkColour);
        for (const QTextFragment &fragment : std::as_const(links)) {
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(format);
        }
    }
}

} // namespace

// The guide's view: the Markdown file, its headings named after their anchors once loaded.
class GuideBrowser final : public QTextBrowser
{
public:
    using QTextBrowser::QTextBrowser;

protected:
    void doSetSource(const QUrl &url, QTextDocument::ResourceType type) override
    {
        QTextBrowser::doSetSource(url, type);
        prepareGuide(document(), palette());
        // The base scrolled before the headings had their names.
        if (url.hasFragment())
            scrollToAnchor(url.fragment());
    }

    void changeEvent(QEvent *event) override
    {
        // The links' colour is fixed when the guide loads: after a switch to Dark (or back)
        // they would keep the old one, unreadable on the new background.
        if (event->type() == QEvent::PaletteChange && source().isValid())
            reload();
        QTextBrowser::changeEvent(event);
    }
};

QString headingAnchor(const QString &heading)
{
    QString anchor;
    for (const QChar c : heading.trimmed().toLower()) {
        if (c.isLetterOrNumber() || c == u'-' || c == u'_')
            anchor += c;
        else if (c == u' ')
            anchor += u'-';
    }
    return anchor;
}

QUrl userGuideUrl(const QLocale &locale)
{
    const auto url = [](const QString &resource) {
        return QUrl(QStringLiteral("qrc") + resource);
    };
    // As QTranslator::load(QLocale, …) looks: each UI language, then its shorter forms ("fr_CA",
    // "fr"); English is the guide without a suffix.
    for (QString language : locale.uiLanguages()) {
        language.replace(u'-', u'_');
        while (!language.isEmpty()) {
            if (language.compare(u"en", Qt::CaseInsensitive) == 0)
                return url(EnglishGuide);
            const QString translated = QStringLiteral(":/help/USER-GUIDE.%1.md").arg(language);
            if (QFile::exists(translated))
                return url(translated);
            language.truncate(qMax(0, language.lastIndexOf(u'_')));
        }
    }
    return url(EnglishGuide);
}

UserGuideWindow::UserGuideWindow(QWidget *parent)
    : QDialog(parent)
    , m_browser(new GuideBrowser(this))
    , m_back(new QPushButton(QIcon::fromTheme(QStringLiteral("go-previous")), tr("&Back")))
{
    setObjectName(QStringLiteral("userGuide"));
    setWindowTitle(tr("Berth User Guide"));
    setModal(false);
    m_browser->setObjectName(QStringLiteral("guideText"));
    m_browser->setAccessibleName(tr("User guide"));
    // Web links leave for the browser; the guide's own links move within it.
    m_browser->setOpenExternalLinks(true);
    m_browser->setSearchPaths({QStringLiteral(":/help")});

    m_back->setObjectName(QStringLiteral("guideBack"));
    m_back->setToolTip(tr("Back to where you were (Alt+Left)"));
    m_back->setShortcut(QKeySequence::Back);
    m_back->setEnabled(false);
    auto *contents = new QPushButton(QIcon::fromTheme(QStringLiteral("go-home")), tr("&Contents"));
    contents->setObjectName(QStringLiteral("guideContents"));
    contents->setToolTip(tr("Back to the start of the guide"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_back, QDialogButtonBox::ActionRole);
    buttons->addButton(contents, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browser, &QTextBrowser::backwardAvailable, m_back, &QWidget::setEnabled);
    connect(m_back, &QPushButton::clicked, m_browser, &QTextBrowser::backward);
    connect(contents, &QPushButton::clicked, this, [this] { showSection(); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(760, 640);
    showSection();
    m_browser->setFocus();
}

void UserGuideWindow::showSection(const QString &anchor)
{
    QUrl url = userGuideUrl();
    if (!anchor.isEmpty())
        url.setFragment(anchor);
    // The guide in the language of the moment, at its top when no section is named.
    m_browser->setSource(url, QTextDocument::MarkdownResource);
}

} // namespace Berth
