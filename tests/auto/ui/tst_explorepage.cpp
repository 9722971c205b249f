#include "explorepage.h"
#include "fakehubserver.h"
#include "inlinemessage.h"
#include "logocache.h"
#include "registry/hubclient.h"
#include "searchresultdelegate.h"
#include "searchresultsmodel.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString SearchV4 = u"/api/search/v4"_s;
const QColor LogoColour(200, 40, 40);

QUrl closedPortUrl()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
}

QByteArray logoPng(const QSize &size = QSize(64, 64))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(LogoColour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

} // namespace

class tst_ExplorePage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void typingSearchesOnceTypingPauses();
    void filtersAndSortGoIntoTheRequest_data();
    void filtersAndSortGoIntoTheRequest();
    void enterOpensTheRepository();
    void doubleClickOpensTheRepository();
    void downFromTheSearchBoxThenEnter();
    void focusSearchSelectsTheWords();
    void emptySearchClears();
    void pullAndCopy();
    void errorsShownInline_data();
    void errorsShownInline();
    void logosLoadAsynchronouslyAndStayOnDisk_data();
    void logosLoadAsynchronouslyAndStayOnDisk();
    void oversizedLogoIsRefused();
    void accessibleNames();

private:
    void typeAndWait(const QString &text, int rows);
    QLineEdit *searchField() const { return m_page->findChild<QLineEdit *>(u"searchField"_s); }
    QListView *results() const { return m_page->findChild<QListView *>(u"searchResults"_s); }
    InlineMessage *notice() const { return m_page->findChild<InlineMessage *>(u"noticeBar"_s); }
    // The searches sent: requests for a first page (the list view asks for the next pages on its
    // own while its viewport is not full).
    QList<FakeHubRequest> searches() const;

    std::unique_ptr<QTemporaryDir> m_cacheDir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_client;
    std::unique_ptr<LogoCache> m_logos;
    std::unique_ptr<ExplorePage> m_page;
};

void tst_ExplorePage::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void tst_ExplorePage::init()
{
    m_cacheDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_cacheDir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<FakeHubServer>();
    QVERIFY(m_hub->listen());
    m_hub->route(SearchV4, FakeHubResponse::fixture(u"search-v4.json"_s));
    m_client = std::make_unique<HubClient>(m_network.get());
    m_client->setBaseUrl(m_hub->url());
    m_client->setRateLimitRetries(0, std::chrono::seconds(0));
    m_logos = std::make_unique<LogoCache>(m_cacheDir->path());
    m_page = std::make_unique<ExplorePage>(m_client.get(), m_logos.get());
    m_page->resize(800, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void tst_ExplorePage::cleanup()
{
    m_page.reset();
    m_logos.reset();
    m_client.reset();
    m_hub.reset();
    m_network.reset();
    m_cacheDir.reset();
}

QList<FakeHubRequest> tst_ExplorePage::searches() const
{
    QList<FakeHubRequest> first;
    for (const FakeHubRequest &request : m_hub->requests(SearchV4)) {
        if (request.queryItem(u"from"_s) == u"0")
            first.append(request);
    }
    return first;
}

void tst_ExplorePage::typeAndWait(const QString &text, int rows)
{
    searchField()->setFocus();
    QTest::keyClicks(searchField(), text);
    QTRY_COMPARE(m_page->model()->rowCount(), rows);
    QTRY_VERIFY(!m_page->model()->isLoading());
}

void tst_ExplorePage::typingSearchesOnceTypingPauses()
{
    searchField()->setFocus();
    QTest::keyClicks(searchField(), u"node"_s);
    // Nothing goes out while typing goes on.
    QCOMPARE(m_hub->requestCount(SearchV4), 0);
    QTRY_COMPARE(m_page->model()->rowCount(), 4);
    // One search for the four keystrokes, with the whole word.
    QCOMPARE(searches().size(), 1);
    QCOMPARE(searches().first().queryItem(u"query"_s), u"node"_s);
    QCOMPARE(results()->model()->index(0, 0).data(SearchResultsModel::NameRole).toString(),
             u"node"_s);
    const auto *status = m_page->findChild<QLabel *>(u"searchStatus"_s);
    QTRY_COMPARE(status->text(), u"10,421 repositories"_s);
    QVERIFY(notice()->isHidden());
}

void tst_ExplorePage::filtersAndSortGoIntoTheRequest_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<QString>("item");
    QTest::addColumn<QString>("value");

    QTest::newRow("official") << u"officialFilter"_s << u"badges"_s << u"official"_s;
    QTest::newRow("verified publisher")
        << u"verifiedFilter"_s << u"badges"_s << u"verified_publisher"_s;
    QTest::newRow("open source") << u"openSourceFilter"_s << u"badges"_s << u"open_source"_s;
    QTest::newRow("most pulls") << u"sortCombo"_s << u"sort"_s << u"pull_count"_s;
}

void tst_ExplorePage::filtersAndSortGoIntoTheRequest()
{
    QFETCH(QString, control);
    QFETCH(QString, item);
    QFETCH(QString, value);

    typeAndWait(u"node"_s, 4);
    QVERIFY(searches().first().queryItem(item).isEmpty());
    if (auto *box = m_page->findChild<QCheckBox *>(control)) {
        QTest::mouseClick(box, Qt::LeftButton, {}, box->rect().center());
        QVERIFY(box->isChecked());
    } else {
        auto *sort = m_page->findChild<QComboBox *>(control);
        QVERIFY(sort);
        sort->setFocus();
        QTest::keyClick(sort, Qt::Key_Down); // best match → most pulls
        QCOMPARE(sort->currentIndex(), 1);
    }
    QTRY_COMPARE(searches().size(), 2);
    const FakeHubRequest request = searches().constLast();
    QCOMPARE(request.queryItem(item), value);
    QCOMPARE(request.queryItem(u"query"_s), u"node"_s);
    QTRY_COMPARE(m_page->model()->rowCount(), 4);
}

void tst_ExplorePage::enterOpensTheRepository()
{
    typeAndWait(u"node"_s, 4);
    QSignalSpy requested(m_page.get(), &ExplorePage::repositoryRequested);
    results()->setFocus();
    results()->setCurrentIndex(results()->model()->index(1, 0));
    QTest::keyClick(results(), Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), u"bitnami/node"_s);
}

void tst_ExplorePage::doubleClickOpensTheRepository()
{
    typeAndWait(u"node"_s, 4);
    QSignalSpy requested(m_page.get(), &ExplorePage::repositoryRequested);
    const QRect row = results()->visualRect(results()->model()->index(2, 0));
    QTest::mouseClick(results()->viewport(), Qt::LeftButton, {}, row.center());
    QTest::mouseDClick(results()->viewport(), Qt::LeftButton, {}, row.center());
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), u"nodered/node-red"_s);
}

void tst_ExplorePage::downFromTheSearchBoxThenEnter()
{
    typeAndWait(u"node"_s, 4);
    QSignalSpy requested(m_page.get(), &ExplorePage::repositoryRequested);
    QTest::keyClick(searchField(), Qt::Key_Down);
    QVERIFY(results()->hasFocus());
    QCOMPARE(results()->currentIndex().row(), 0);
    QTest::keyClick(results(), Qt::Key_Enter);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), u"node"_s);
}

// Ctrl+F is the window's (tst_mainwindow); this is what it calls.
void tst_ExplorePage::focusSearchSelectsTheWords()
{
    typeAndWait(u"node"_s, 4);
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    results()->setFocus();
    QVERIFY(!searchField()->hasFocus());
    m_page->focusSearch();
    QVERIFY(searchField()->hasFocus());
    QCOMPARE(searchField()->selectedText(), u"node"_s); // typing replaces the old words
}

void tst_ExplorePage::emptySearchClears()
{
    typeAndWait(u"node"_s, 4);
    searchField()->clear();
    QTRY_COMPARE(m_page->model()->rowCount(), 0);
    QVERIFY(!m_page->model()->hasQuery());
    QCOMPARE(searches().size(), 1);
    const auto *status = m_page->findChild<QLabel *>(u"searchStatus"_s);
    QVERIFY(status->text().contains(u"Type a name"_s));

    // A filter alone browses its badge.
    m_page->findChild<QCheckBox *>(u"officialFilter"_s)->setChecked(true);
    QTRY_COMPARE(m_page->model()->rowCount(), 4);
    QCOMPARE(searches().size(), 2);
    QCOMPARE(searches().constLast().queryItem(u"query"_s), QString());
    QCOMPARE(searches().constLast().queryItem(u"badges"_s), u"official"_s);
}

void tst_ExplorePage::pullAndCopy()
{
    typeAndWait(u"node"_s, 4);
    auto *copy = m_page->findChild<QPushButton *>(u"copyPullCommandButton"_s);
    auto *pull = m_page->findChild<QPushButton *>(u"pullButton"_s);
    QVERIFY(!copy->isEnabled() && !pull->isEnabled());
    results()->setCurrentIndex(results()->model()->index(1, 0));
    QVERIFY(copy->isEnabled() && pull->isEnabled());

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"docker pull bitnami/node"_s);

    QSignalSpy pulled(m_page.get(), &ExplorePage::pullRequested);
    QTest::mouseClick(pull, Qt::LeftButton);
    QCOMPARE(pulled.size(), 1);
    QCOMPARE(pulled.first().at(0).value<ImageReference>().toString(),
             u"docker.io/bitnami/node:latest"_s);
    QVERIFY(!pulled.first().at(1).value<std::optional<Platform>>().has_value());
}

void tst_ExplorePage::errorsShownInline_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("advice");

    QTest::newRow("Hub unreachable")
        << u"closed"_s << u"could not reach Docker Hub"_s << u"Check your internet connection"_s;
    QTest::newRow("rate limited") << u"429"_s << u"rate limit reached; try again in 120 seconds"_s
                                  << u"log in to Docker Hub"_s;
    QTest::newRow("server error") << u"502"_s << u"HTTP 502"_s << u"try again in a few minutes"_s;
}

void tst_ExplorePage::errorsShownInline()
{
    QFETCH(QString, scenario);
    QFETCH(QString, message);
    QFETCH(QString, advice);

    if (scenario == u"closed")
        m_client->setBaseUrl(closedPortUrl());
    else if (scenario == u"429")
        m_hub->route(SearchV4, FakeHubResponse::tooManyRequests(120));
    else
        m_hub->route(SearchV4, FakeHubResponse::serverError(502));

    searchField()->setFocus();
    QTest::keyClicks(searchField(), u"node"_s);
    QTRY_VERIFY(!notice()->isHidden());
    const QString text = notice()->text();
    QVERIFY2(text.contains(message), qPrintable(text));
    QVERIFY2(text.contains(advice), qPrintable(text));
    auto *retry = notice()->findChild<QPushButton *>(u"noticeRetry"_s);
    QVERIFY(retry && !retry->isHidden());
    QCOMPARE(m_page->model()->rowCount(), 0);

    // The Hub is back: "Try again" finds the results and the message goes.
    m_client->setBaseUrl(m_hub->url());
    m_hub->route(SearchV4, FakeHubResponse::fixture(u"search-v4.json"_s));
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE(m_page->model()->rowCount(), 4);
    QVERIFY(notice()->isHidden());
}

void tst_ExplorePage::logosLoadAsynchronouslyAndStayOnDisk_data()
{
    QTest::addColumn<QByteArray>("cacheControl");
    QTest::newRow("no freshness headers") << QByteArray();
    QTest::newRow("max-age") << QByteArray("public, max-age=86400");
}

void tst_ExplorePage::logosLoadAsynchronouslyAndStayOnDisk()
{
    QFETCH(QByteArray, cacheControl);
    const QByteArray png = logoPng();
    FakeHubResponse image;
    image.body = png;
    image.withHeader("Content-Type", "image/png");
    if (!cacheControl.isEmpty())
        image.withHeader("Cache-Control", cacheControl);
    m_hub->route(u"/logos/app.png"_s, image);
    const QUrl logoUrl = m_hub->url().resolved(QUrl(u"/logos/app.png"_s));
    const QJsonObject result{
        {u"id"_s, u"jean/app"_s},
        {u"name"_s, u"jean/app"_s},
        {u"short_description"_s, u"An app"_s},
        {u"badge"_s, u"official"_s},
        {u"star_count"_s, 3},
        {u"pull_count"_s, u"1200000000"_s},
        {u"logo_url"_s,
         QJsonObject{{u"small"_s, logoUrl.toString()}, {u"large"_s, logoUrl.toString()}}}};
    m_hub->route(SearchV4,
                 FakeHubResponse::json(
                     QJsonDocument(QJsonObject{{u"total"_s, 1}, {u"results"_s, QJsonArray{result}}})
                         .toJson()));
    QSignalSpy ready(m_logos.get(), &LogoCache::logoReady);
    typeAndWait(u"app"_s, 1);

    // The row was painted with a placeholder and asked for the logo; it arrives later.
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(ready.first().first().toUrl(), logoUrl);
    QCOMPARE(m_hub->requestCount(u"/logos/app.png"_s), 1);
    QVERIFY(!m_logos->logo(logoUrl).isNull());

    // The repainted row shows the logo where the placeholder was.
    const QRect row = results()->visualRect(results()->model()->index(0, 0));
    const QPoint logoCentre(row.left() + SearchResultDelegate::Margin
                                + SearchResultDelegate::LogoSize / 2,
                            row.center().y());
    QTRY_COMPARE(results()->viewport()->grab().toImage().pixelColor(logoCentre), LogoColour);
    QVERIFY(row.height() >= SearchResultDelegate::LogoSize + 2 * SearchResultDelegate::Margin);

    // Another run of the app: the logo comes from the disk cache, not the network.
    LogoCache again(m_cacheDir->path());
    QSignalSpy readyAgain(&again, &LogoCache::logoReady);
    QVERIFY(again.logo(logoUrl).isNull()); // asynchronous even from disk
    QTRY_COMPARE(readyAgain.size(), 1);
    QVERIFY(!again.logo(logoUrl).isNull());
    QCOMPARE(m_hub->requestCount(u"/logos/app.png"_s), 1);
}

// A logo claiming a picture larger than any logo is refused before it is decoded.
void tst_ExplorePage::oversizedLogoIsRefused()
{
    FakeHubResponse image;
    image.body = logoPng(QSize(LogoCache::MaxLogoSide + 1, 1));
    image.withHeader("Content-Type", "image/png");
    m_hub->route(u"/logos/wide.png"_s, image);
    const QUrl url = m_hub->url().resolved(QUrl(u"/logos/wide.png"_s));
    QSignalSpy ready(m_logos.get(), &LogoCache::logoReady);
    QSignalSpy failed(m_logos.get(), &LogoCache::logoFailed);
    QVERIFY(m_logos->logo(url).isNull());
    QTRY_COMPARE(failed.size() + ready.size(), 1);
    QCOMPARE(failed.size(), 1);
    QVERIFY(m_logos->hasFailed(url));
}

void tst_ExplorePage::accessibleNames()
{
    const QList<QWidget *> controls = m_page->findChildren<QWidget *>();
    int checked = 0;
    for (QWidget *widget : controls) {
        const bool control = qobject_cast<QLineEdit *>(widget) || qobject_cast<QCheckBox *>(widget)
                             || qobject_cast<QComboBox *>(widget)
                             || qobject_cast<QPushButton *>(widget)
                             || qobject_cast<QListView *>(widget);
        if (!control)
            continue;
        ++checked;
        QVERIFY2(!widget->accessibleName().isEmpty(), widget->metaObject()->className());
    }
    QVERIFY(checked >= 9);
}

QTEST_MAIN(tst_ExplorePage)
#include "tst_explorepage.moc"
