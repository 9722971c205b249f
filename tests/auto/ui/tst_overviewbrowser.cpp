// A repository overview is Markdown from whoever publishes on Docker Hub: it must render without
// opening any file or URL it names (a device, a FIFO, a remote image), without its raw HTML, and
// its links must never navigate the pane nor reach the desktop unless they are http(s).
#include "overviewbrowser.h"

#include <QBuffer>
#include <QDesktopServices>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>

#include <atomic>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

// Records what QDesktopServices::openUrl would have opened, per scheme.
class UrlRecorder final : public QObject
{
    Q_OBJECT

public:
    explicit UrlRecorder(const QStringList &schemes)
        : m_schemes(schemes)
    {
        for (const QString &scheme : m_schemes)
            QDesktopServices::setUrlHandler(scheme, this, "open");
    }
    ~UrlRecorder() override
    {
        for (const QString &scheme : m_schemes)
            QDesktopServices::unsetUrlHandler(scheme);
    }

    QList<QUrl> opened;

public slots:
    void open(const QUrl &url) { opened.append(url); }

private:
    QStringList m_schemes;
};

// Counts every time something opens the FIFO for reading, without ever blocking the reader: a
// writer thread waits on the other end and lets each reader go at once (end of file).
class FifoWatch
{
public:
    explicit FifoWatch(QByteArray path)
        : m_path(std::move(path))
        , m_thread([this] { watch(); })
    {}
    ~FifoWatch()
    {
        m_stopping = true;
        // Our own reader releases the writer's pending open; it is not counted.
        const int fd = ::open(m_path.constData(), O_RDONLY | O_NONBLOCK);
        m_thread.join();
        if (fd >= 0)
            ::close(fd);
    }
    int readers() const { return m_readers; }

private:
    void watch()
    {
        while (true) {
            const int fd = ::open(m_path.constData(), O_WRONLY);
            if (m_stopping) {
                if (fd >= 0)
                    ::close(fd);
                return;
            }
            ++m_readers;
            if (fd >= 0)
                ::close(fd);
        }
    }

    QByteArray m_path;
    std::atomic<bool> m_stopping = false;
    std::atomic<int> m_readers = 0;
    std::thread m_thread;
};

QString pngDataUrl(const QSize &size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return u"data:image/png;base64,"_s + QString::fromLatin1(bytes.toBase64());
}

QSize imageSize(const QVariant &resource)
{
    if (resource.canConvert<QImage>())
        return resource.value<QImage>().size();
    return {};
}

// Lays the document out and paints it, as showing the page does.
void render(OverviewBrowser &browser)
{
    browser.resize(600, 400);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    (void)browser.grab();
}

} // namespace

class tst_OverviewBrowser final : public QObject
{
    Q_OBJECT

private slots:
    void localAndRemoteImagesLoadNothing_data();
    void localAndRemoteImagesLoadNothing();
    void fifoImageIsNeverOpened();
    void inlineDataImages_data();
    void inlineDataImages();
    void rawHtmlIsShownAsText();
    void longOverviewIsCut_data();
    void longOverviewIsCut();
    void linksOpenOnlyHttpInTheBrowser_data();
    void linksOpenOnlyHttpInTheBrowser();
};

void tst_OverviewBrowser::localAndRemoteImagesLoadNothing_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("file URL of an endless device") << u"file:///dev/zero"_s;
    QTest::newRow("path of an endless device") << u"/dev/zero"_s;
    QTest::newRow("local file") << u"/etc/passwd"_s;
    QTest::newRow("relative") << u"../../../../../../dev/zero"_s;
    QTest::newRow("remote") << u"http://127.0.0.1:9/logo.png"_s;
    QTest::newRow("resource") << u"qrc:/qt-project.org/styles/commonstyle/images/file-16.png"_s;
}

void tst_OverviewBrowser::localAndRemoteImagesLoadNothing()
{
    QFETCH(QString, source);
    OverviewBrowser browser;
    browser.showMarkdown(u"# Title\n\nbefore ![an image](%1) after\n"_s.arg(source));
    render(browser);
    QVERIFY(browser.toPlainText().contains(u"before"_s));
    // What is shown in its place is blank and one pixel: nothing was read from it.
    const QVariant shown = browser.document()->resource(QTextDocument::ImageResource, QUrl(source));
    QCOMPARE(imageSize(shown), QSize(1, 1));
}

void tst_OverviewBrowser::fifoImageIsNeverOpened()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray fifo = QFile::encodeName(dir.filePath(u"pipe"_s));
    QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);
    int readers = 0;
    {
        FifoWatch watch(fifo);
        OverviewBrowser browser;
        const QString path = QFile::decodeName(fifo);
        browser.showMarkdown(u"![a](%1) ![b](file://%1)\n"_s.arg(path));
        render(browser);
        render(browser);
        readers = watch.readers();
    }
    QCOMPARE(readers, 0);
}

void tst_OverviewBrowser::inlineDataImages_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QSize>("shown");
    QTest::newRow("small PNG") << pngDataUrl(QSize(3, 2)) << QSize(3, 2);
    QTest::newRow("too wide") << pngDataUrl(QSize(OverviewBrowser::MaxImageSide + 1, 1))
                              << QSize(1, 1);
    QTest::newRow("not an image") << u"data:image/png;base64,AAAA"_s << QSize(1, 1);
    QTest::newRow("vector image")
        << u"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' "
           "height='8'%3E%3C/svg%3E"_s
        << QSize(1, 1);
    QTest::newRow("too long") << u"data:image/png;base64,"_s
                                     + QString(OverviewBrowser::MaxImageBytes * 2, u'A')
                              << QSize(1, 1);
}

void tst_OverviewBrowser::inlineDataImages()
{
    QFETCH(QString, source);
    QFETCH(QSize, shown);
    OverviewBrowser browser;
    browser.showMarkdown(u"![inline](%1)\n"_s.arg(source));
    render(browser);
    QCOMPARE(imageSize(browser.document()->resource(QTextDocument::ImageResource, QUrl(source))),
             shown);
}

void tst_OverviewBrowser::rawHtmlIsShownAsText()
{
    OverviewBrowser browser;
    browser.showMarkdown(u"<font size=7 color=red>Official</font>\n\n"
                         "<div><b>bold</b></div>\n\n"
                         "| a | b |\n|---|---|\n| 1 | 2 |\n"_s);
    render(browser);
    const QString text = browser.toPlainText();
    QVERIFY2(text.contains(u"<font size=7 color=red>Official</font>"_s), qPrintable(text));
    QVERIFY2(text.contains(u"<b>bold</b>"_s), qPrintable(text));
    // GitHub tables are Markdown, not HTML: still a table.
    bool table = false;
    for (QTextFrame *frame : browser.document()->rootFrame()->childFrames())
        table = table || qobject_cast<QTextTable *>(frame);
    QVERIFY(table);
}

// Spans by the thousand in one paragraph once took minutes to import and lay out, on the GUI
// thread: the overview is cut at the Hub's own limit and imported in one edit block.
void tst_OverviewBrowser::longOverviewIsCut_data()
{
    QTest::addColumn<QString>("markdown");
    QTest::newRow("emphasis marks") << QString(u"*a"_s).repeated(500'000);
    QTest::newRow("code marks") << QString(u"`a"_s).repeated(500'000);
    QTest::newRow("plain words") << QString(u"word "_s).repeated(200'000);
}

void tst_OverviewBrowser::longOverviewIsCut()
{
    QFETCH(QString, markdown);
    OverviewBrowser browser;
    browser.showMarkdown(markdown);
    render(browser);
    const qsizetype shown = browser.toPlainText().size();
    QVERIFY(shown > 0);
    QVERIFY2(shown <= OverviewBrowser::MaxMarkdownLength, qPrintable(QString::number(shown)));
}

void tst_OverviewBrowser::linksOpenOnlyHttpInTheBrowser_data()
{
    QTest::addColumn<QString>("href");
    QTest::addColumn<QString>("opened");
    QTest::newRow("https") << u"https://docs.example.org/start"_s
                           << u"https://docs.example.org/start"_s;
    QTest::newRow("http") << u"http://example.org/"_s << u"http://example.org/"_s;
    QTest::newRow("local file") << u"file:///etc/passwd"_s << QString();
    QTest::newRow("absolute path") << u"/etc/passwd"_s << QString();
    QTest::newRow("relative path") << u"../../../../../../etc/passwd"_s << QString();
    QTest::newRow("javascript") << u"javascript:alert(1)"_s << QString();
    QTest::newRow("mail") << u"mailto:admin@example.org"_s << QString();
    QTest::newRow("host-less http") << u"http:/etc/passwd"_s << QString();
}

void tst_OverviewBrowser::linksOpenOnlyHttpInTheBrowser()
{
    QFETCH(QString, href);
    QFETCH(QString, opened);
    UrlRecorder desktop({u"http"_s, u"https"_s, u"file"_s, u"javascript"_s, u"mailto"_s});
    OverviewBrowser browser;
    browser.showMarkdown(u"Read [the documentation](%1) first.\n"_s.arg(href));
    render(browser);
    const QString before = browser.toPlainText();

    QTextCursor link = browser.document()->find(u"documentation"_s);
    QVERIFY(!link.isNull());
    link.setPosition(link.selectionStart() + 3);
    QTest::mouseClick(browser.viewport(), Qt::LeftButton, {}, browser.cursorRect(link).center());

    const QList<QUrl> expected = opened.isEmpty() ? QList<QUrl>() : QList<QUrl>{QUrl(opened)};
    QCOMPARE(desktop.opened, expected);
    // The pane never navigates: same text, no source.
    QCOMPARE(browser.toPlainText(), before);
    QVERIFY(browser.source().isEmpty());
}

QTEST_MAIN(tst_OverviewBrowser)
#include "tst_overviewbrowser.moc"
