#include "appservices.h"
#include "erroradvice.h"
#include "explorepage.h"
#include "fakehubserver.h"
#include "imagecarddelegate.h"
#include "inlinemessage.h"
#include "logocache.h"
#include "mainwindow.h"
#include "officialimagesview.h"
#include "pulldialog.h"
#include "pullstatus.h"
#include "registry/hubclient.h"
#include "searchresultdelegate.h"
#include "searchresultsmodel.h"
#include "store/enginebackend.h"
#include "transferjob.h"
#include "transfermanager.h"
#include "uitesthelpers.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString SearchV4 = u"/api/search/v4"_s;
const QString NginxTags = u"/v2/namespaces/library/repositories/nginx/tags"_s;
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

QPushButton *okButton(QDialog *dialog)
{
    auto *box = dialog->findChild<QDialogButtonBox *>();
    return box ? box->button(QDialogButtonBox::Ok) : nullptr;
}

// The official images of the fixture, most pulled first: what the start page must show.
QStringList officialImagesByPulls()
{
    const QJsonArray results = QJsonDocument::fromJson(hubFixture(u"search-v4-official.json"_s))
                                   .object()[u"results"_s]
                                   .toArray();
    QList<std::pair<qint64, QString>> byPulls;
    for (const QJsonValue &result : results) {
        const QJsonValue pulls = result[u"pull_count"_s];
        byPulls.append({pulls.isString() ? pulls.toString().toLongLong() : pulls.toInteger(),
                        result[u"name"_s].toString()});
    }
    std::stable_sort(byPulls.begin(), byPulls.end(), [](const auto &a, const auto &b) {
        return a.first > b.first;
    });
    QStringList names;
    for (const auto &[pulls, name] : byPulls)
        names.append(name);
    return names;
}

// A Hub tags page of these names, the first one updated last.
FakeHubResponse tagsPage(const QStringList &names)
{
    QJsonArray results;
    const QDateTime newest(QDate(2024, 5, 20), QTime(12, 0), Qt::UTC);
    for (qsizetype i = 0; i < names.size(); ++i) {
        results.append(QJsonObject{{u"name"_s, names.at(i)},
                                   {u"last_updated"_s, newest.addDays(-i).toString(Qt::ISODate)},
                                   {u"full_size"_s, 1000},
                                   {u"tag_status"_s, u"active"_s}});
    }
    return FakeHubResponse::json(
        QJsonDocument(QJsonObject{{u"count"_s, names.size()}, {u"results"_s, results}}).toJson());
}

// An image backend whose pulls end as the test says: done, or failed as an engine fails
// (its words kept in the error's message, as EngineBackend keeps them).
class FakePullBackend final : public ImageBackend
{
public:
    std::optional<Error> pullError;
    QList<ImageReference> pulled;

    Kind kind() const override { return Kind::Docker; }
    QString description() const override { return u"Fake engine"_s; }
    void listImages(Callback<QList<LocalImage>> done) override { done(QList<LocalImage>()); }
    void inspectImage(const QString &, Callback<LocalImageDetails> done) override
    {
        done(fail(Error::Kind::NotFound, u"no such image"_s));
    }
    void history(const QString &, Callback<QList<ImageHistoryRow>> done) override
    {
        done(fail(Error::Kind::NotFound, u"no such image"_s));
    }
    void pull(const ImageReference &reference, PullOptions, Callback<PullResult> done) override
    {
        pulled.append(reference);
        QTimer::singleShot(50, this, [this, reference, done] {
            if (pullError)
                return done(fail(*pullError));
            PullResult result;
            result.reference = reference;
            result.layersTransferred = 2;
            result.bytesTransferred = 2048;
            done(result);
        });
    }
    void push(const ImageReference &, PushOptions, Callback<PushResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void tag(const QString &, const ImageReference &, Callback<void> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void remove(const QString &, bool, Callback<RemoveResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void prune(PruneOptions, Callback<PruneResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void save(const QStringList &, ArchiveTarget, SaveOptions, Callback<SaveResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void load(ArchiveSource, LoadOptions, Callback<LoadResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void exportFilesystem(const QString &,
                          ArchiveTarget,
                          ExportOptions,
                          Callback<ExportResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
    void importFilesystem(ArchiveSource, ImportOptions, Callback<ImportResult> done) override
    {
        done(fail(Error::Kind::Unsupported, u"not here"_s));
    }
};

} // namespace

class tst_ExplorePage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void startPageShowsOfficialImagesByPulls();
    void startPageLoadsMoreOnScroll();
    void cardLogosAreCachedOnDisk();
    void queryShowsListClearingShowsCards();
    void keyboardOnCards();
    void startPageOfflineOffersTryAgain();
    void cardPullAsksForTagAndPlatform_data();
    void cardPullAsksForTagAndPlatform();
    void pullDialogProposesTheEnginePlatform();
    void statusBarSaysHowThePullEnded_data();
    void statusBarSaysHowThePullEnded();
    void pullFailureSentences_data();
    void pullFailureSentences();
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
    OfficialImagesView *cards() const
    {
        return m_page->findChild<OfficialImagesView *>(u"officialImages"_s);
    }
    QLabel *status() const { return m_page->findChild<QLabel *>(u"searchStatus"_s); }
    // The search results (the list) and the official images of the start page (the cards).
    SearchResultsModel *searchModel() const
    {
        return child<SearchResultsModel>(m_page.get(), u"searchResultsModel"_s);
    }
    SearchResultsModel *officialModel() const
    {
        return child<SearchResultsModel>(m_page.get(), u"officialImagesModel"_s);
    }
    // The start page's requests: the official images, most pulled first.
    QList<FakeHubRequest> officialSearches() const;
    void waitForCards(int rows = ExplorePage::OfficialPageSize);
    // Pull on the card of `name`: the dialog it opens.
    PullDialog *pullFromCard(ExplorePage *page, const QString &name);
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
    m_hub->serveOfficialImages(FakeHubResponse::fixture(u"search-v4.json"_s));
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

namespace {

bool isOfficialBrowse(const FakeHubRequest &request)
{
    return request.queryItem(u"query"_s).isEmpty() && request.queryItem(u"badges"_s) == u"official"
           && request.queryItem(u"sort"_s) == u"pull_count";
}

} // namespace

QList<FakeHubRequest> tst_ExplorePage::searches() const
{
    QList<FakeHubRequest> first;
    for (const FakeHubRequest &request : m_hub->requests(SearchV4)) {
        if (request.queryItem(u"from"_s) == u"0" && !isOfficialBrowse(request))
            first.append(request);
    }
    return first;
}

QList<FakeHubRequest> tst_ExplorePage::officialSearches() const
{
    QList<FakeHubRequest> official;
    for (const FakeHubRequest &request : m_hub->requests(SearchV4)) {
        if (isOfficialBrowse(request))
            official.append(request);
    }
    return official;
}

void tst_ExplorePage::waitForCards(int rows)
{
    QTRY_COMPARE(officialModel()->rowCount(), rows);
    QTRY_VERIFY(!officialModel()->isLoading());
}

PullDialog *tst_ExplorePage::pullFromCard(ExplorePage *page, const QString &name)
{
    auto *view = page->findChild<OfficialImagesView *>(u"officialImages"_s);
    const QModelIndexList found = view->model()->match(
        view->model()->index(0, 0), SearchResultsModel::NameRole, name, 1, Qt::MatchExactly);
    if (found.isEmpty())
        return nullptr;
    view->setCurrentIndex(found.first());
    QTest::mouseClick(page->findChild<QPushButton *>(u"pullButton"_s), Qt::LeftButton);
    return waitForModal<PullDialog>();
}

void tst_ExplorePage::startPageShowsOfficialImagesByPulls()
{
    // Nothing typed: the page opens on cards, not on a blank list.
    QVERIFY(m_page->isShowingOfficialImages());
    QVERIFY(cards()->isVisible());
    QVERIFY(!results()->isVisible());
    QCOMPARE(cards()->viewMode(), QListView::IconMode);
    waitForCards();

    // One request: the official badge, most pulls first, no words.
    QCOMPARE(officialSearches().size(), 1);
    const FakeHubRequest request = officialSearches().first();
    QCOMPARE(request.queryItem(u"badges"_s), u"official"_s);
    QCOMPARE(request.queryItem(u"order"_s), u"desc"_s);
    QCOMPARE(request.queryItem(u"size"_s), QString::number(ExplorePage::OfficialPageSize));

    // In the Hub's order, which is by pulls (the fixture is not).
    const QStringList expected = officialImagesByPulls().mid(0, ExplorePage::OfficialPageSize);
    QStringList shown;
    for (int row = 0; row < cards()->model()->rowCount(); ++row)
        shown.append(cards()->model()->index(row, 0).data(SearchResultsModel::NameRole).toString());
    QCOMPARE(shown, expected);
    QCOMPARE(shown.first(), u"nginx"_s);
    QCOMPARE(cards()->model()->index(0, 0).data(SearchResultsModel::BadgeTextRole).toString(),
             u"Official"_s);
    QTRY_COMPARE(status()->text(),
                 u"30 official images, most pulled first. Type a name to search Docker Hub."_s);

    // Cards are cards: side by side, and tall enough for their logo.
    const QRect first = cards()->visualRect(cards()->model()->index(0, 0));
    const QRect second = cards()->visualRect(cards()->model()->index(1, 0));
    QCOMPARE(first.top(), second.top());
    QVERIFY(second.left() > first.right());
    QVERIFY(first.height() > ImageCardDelegate::LogoSize + 2 * ImageCardDelegate::Padding);
}

void tst_ExplorePage::startPageLoadsMoreOnScroll()
{
    waitForCards();
    QVERIFY(officialModel()->canFetchMore({}));
    cards()->verticalScrollBar()->setValue(cards()->verticalScrollBar()->maximum());
    waitForCards(30);
    QCOMPARE(officialSearches().size(), 2);
    QCOMPARE(officialSearches().constLast().queryItem(u"from"_s),
             QString::number(ExplorePage::OfficialPageSize));
    QCOMPARE(cards()->model()->index(29, 0).data(SearchResultsModel::NameRole).toString(),
             officialImagesByPulls().constLast());
    QVERIFY(!officialModel()->canFetchMore({}));
}

void tst_ExplorePage::cardLogosAreCachedOnDisk()
{
    // By default logos go under the cache location, not into the Hub client's answers.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(LogoCache().cacheDirectory().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation)));

    const QUrl nginx = m_hub->officialLogoUrl(u"nginx"_s);
    QSignalSpy ready(m_logos.get(), &LogoCache::logoReady);
    waitForCards();
    // The first card asked for its logo while painting its placeholder; it arrives later.
    QTRY_VERIFY(ready.contains(QVariantList{nginx}));
    QCOMPARE(m_hub->requestCount(FakeHubServer::officialLogoPath(u"nginx"_s)), 1);

    // The repainted card shows the logo where the placeholder was.
    const QImage png = QImage::fromData(hubFixture(u"logos/nginx.png"_s));
    QVERIFY(!png.isNull());
    const QRect card = cards()->visualRect(cards()->model()->index(0, 0));
    const QPoint centre = ImageCardDelegate::logoRect(card).center();
    QTRY_COMPARE(cards()->viewport()->grab().toImage().pixelColor(centre), png.pixelColor(0, 0));

    // Painting again asks nobody; another run of the app reads the disk, not the network.
    cards()->viewport()->repaint();
    QCOMPARE(m_hub->requestCount(FakeHubServer::officialLogoPath(u"nginx"_s)), 1);
    LogoCache again(m_cacheDir->path());
    QSignalSpy readyAgain(&again, &LogoCache::logoReady);
    QVERIFY(again.logo(nginx).isNull()); // asynchronous even from disk
    QTRY_COMPARE(readyAgain.size(), 1);
    QVERIFY(!again.logo(nginx).isNull());
    QCOMPARE(m_hub->requestCount(FakeHubServer::officialLogoPath(u"nginx"_s)), 1);
}

void tst_ExplorePage::queryShowsListClearingShowsCards()
{
    waitForCards();
    typeAndWait(u"node"_s, 4);
    QVERIFY(!m_page->isShowingOfficialImages());
    QVERIFY(results()->isVisible());
    QVERIFY(!cards()->isVisible());
    QTRY_COMPARE(status()->text(), u"10,421 repositories"_s);

    // Clearing the words comes back to the cards as they were: no second request.
    searchField()->clear();
    QTRY_VERIFY(m_page->isShowingOfficialImages());
    QVERIFY(cards()->isVisible());
    QCOMPARE(officialModel()->rowCount(), ExplorePage::OfficialPageSize);
    QCOMPARE(officialSearches().size(), 1);
    QCOMPARE(searchModel()->rowCount(), 0);
    QVERIFY(status()->text().contains(u"official images"_s));
}

void tst_ExplorePage::keyboardOnCards()
{
    waitForCards();
    QSignalSpy requested(m_page.get(), &ExplorePage::repositoryRequested);
    searchField()->setFocus();
    QTest::keyClick(searchField(), Qt::Key_Down);
    QVERIFY(cards()->hasFocus());
    QCOMPARE(cards()->currentIndex().row(), 0);
    QTest::keyClick(cards(), Qt::Key_Right);
    QCOMPARE(cards()->currentIndex().row(), 1);
    QTest::keyClick(cards(), Qt::Key_Down); // the card below, in the next row
    QVERIFY(cards()->currentIndex().row() > 1);
    QCOMPARE(cards()->visualRect(cards()->currentIndex()).left(),
             cards()->visualRect(cards()->model()->index(1, 0)).left());
    QTest::keyClick(cards(), Qt::Key_Up);
    QCOMPARE(cards()->currentIndex().row(), 1);
    QVERIFY(m_page->findChild<QPushButton *>(u"pullButton"_s)->isEnabled());
    QTest::keyClick(cards(), Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), officialImagesByPulls().at(1));
}

void tst_ExplorePage::startPageOfflineOffersTryAgain()
{
    m_page.reset();
    m_client->setBaseUrl(closedPortUrl());
    m_page = std::make_unique<ExplorePage>(m_client.get(), m_logos.get());
    m_page->resize(800, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));

    auto *message = m_page->findChild<InlineMessage *>(u"startMessage"_s);
    QTRY_VERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"Could not get the official images from Docker Hub"_s),
             qPrintable(message->text()));
    QVERIFY2(message->text().contains(u"Check your internet connection"_s),
             qPrintable(message->text()));
    QVERIFY(cards()->isVisible());
    QCOMPARE(cards()->placeholderText(),
             u"The official images show here once Docker Hub answers."_s);
    auto *retry = message->findChild<QPushButton *>(u"noticeRetry"_s);
    QVERIFY(retry && retry->isVisible());

    m_client->setBaseUrl(m_hub->url());
    QTest::mouseClick(retry, Qt::LeftButton);
    waitForCards();
    QVERIFY(!message->isVisible());
}

void tst_ExplorePage::cardPullAsksForTagAndPlatform_data()
{
    QTest::addColumn<FakeHubResponse>("tags");
    QTest::addColumn<QString>("prefilled");
    QTest::addColumn<QString>("feedback");

    QTest::newRow("latest exists") << tagsPage({u"1.27.0"_s, u"latest"_s, u"1.26.1"_s})
                                   << u"latest"_s << u"Pulls docker.io/library/nginx:latest"_s;
    QTest::newRow("no latest: the newest")
        << tagsPage({u"mainline"_s, u"1.27.0"_s, u"1.26.1"_s}) << u"mainline"_s
        << u"Pulls docker.io/library/nginx:mainline"_s;
    QTest::newRow("tags unreachable")
        << FakeHubResponse::serverError(502) << QString()
        << u"Could not list the tags of nginx: Docker Hub did not answer as expected. Type the "
           u"tag to pull."_s;
}

// Pull from a card never pulls an implied :latest: it asks, with the tag and platform filled in.
void tst_ExplorePage::cardPullAsksForTagAndPlatform()
{
    QFETCH(FakeHubResponse, tags);
    QFETCH(QString, prefilled);
    QFETCH(QString, feedback);

    m_client->setRateLimitRetries(0, std::chrono::seconds(0));
    m_hub->route(NginxTags, tags);
    waitForCards();
    QSignalSpy pulled(m_page.get(), &ExplorePage::pullRequested);
    PullDialog *dialog = pullFromCard(m_page.get(), u"nginx"_s);
    QVERIFY(dialog);
    QVERIFY(pulled.isEmpty());
    auto *reference = child<QLineEdit>(dialog, u"reference"_s);
    auto *tag = child<QComboBox>(dialog, u"tag"_s);
    auto *platform = child<QComboBox>(dialog, u"platform"_s);
    const auto *feedbackLabel = child<QLabel>(dialog, u"feedback"_s);
    QCOMPARE(reference->text(), u"nginx"_s);
    QVERIFY(reference->isReadOnly());
    QTRY_VERIFY2(feedbackLabel->text().contains(feedback), qPrintable(feedbackLabel->text()));
    QCOMPARE(tag->currentText(), prefilled);
    QCOMPARE(m_hub->requests(NginxTags).constLast().queryItem(u"ordering"_s), u"last_updated"_s);
    // The platform offered first is the backend's own (the host's without one).
    QCOMPARE(platform->currentIndex(), 0);
    QVERIFY(platform->currentText().contains(Platform::host().toString()));

    if (prefilled.isEmpty()) {
        // Without the list the user types the tag; nothing until then.
        QVERIFY(!dialog->isInputValid());
        QTest::keyClicks(tag, u"1.27.0"_s);
        prefilled = u"1.27.0"_s;
    }
    QVERIFY(dialog->isInputValid());
    dialog->accept();
    QCOMPARE(pulled.size(), 1);
    QCOMPARE(pulled.first().at(0).value<ImageReference>().toString(),
             u"docker.io/library/nginx:"_s + prefilled);
    QVERIFY(!pulled.first().at(1).value<PullRequest>().platform.has_value());
}

void tst_ExplorePage::pullDialogProposesTheEnginePlatform()
{
    EngineInfo info;
    info.flavour = EngineInfo::Flavour::Docker;
    info.os = u"linux"_s;
    info.architecture = u"s390x"_s;
    EngineBackend engine(EngineEndpoint{}, info, nullptr);
    TransferManager transfers;
    transfers.setBackend(&engine);
    m_page->setTransfers(&transfers);
    m_hub->route(NginxTags, tagsPage({u"latest"_s}));
    waitForCards();

    PullDialog *dialog = pullFromCard(m_page.get(), u"nginx"_s);
    QVERIFY(dialog);
    QCOMPARE(child<QComboBox>(dialog, u"platform"_s)->currentText(),
             u"Docker Engine's own (linux/s390x)"_s);
    // An engine keeps one platform: "all platforms" is not offered.
    QVERIFY(!child<QCheckBox>(dialog, u"allPlatforms"_s)->isEnabled());
    QTRY_COMPARE(child<QComboBox>(dialog, u"tag"_s)->currentText(), u"latest"_s);
    dialog->reject();
}

void tst_ExplorePage::statusBarSaysHowThePullEnded_data()
{
    QTest::addColumn<bool>("fails");
    QTest::addColumn<QString>("expected");

    QTest::newRow("pulled") << false << u"Pulled nginx:latest."_s;
    QTest::newRow("failed")
        << true
        << u"Could not pull nginx:latest: Docker Hub has no such image or tag. Check the tag; it "
           u"may have been deleted."_s;
}

// The whole window: Explore's pull runs as a job, and the status bar follows it to its end.
void tst_ExplorePage::statusBarSaysHowThePullEnded()
{
    QFETCH(bool, fails);
    QFETCH(QString, expected);

    QStandardPaths::setTestModeEnabled(true);
    m_hub->route(NginxTags, tagsPage({u"1.27.0"_s, u"latest"_s}));
    AppSettings settings;
    settings.backend = BackendChoice::Embedded;
    settings.storePath = m_cacheDir->filePath(u"store"_s);
    qputenv("BERTH_HUB_URL", m_hub->url().toEncoded());
    AppServices services(settings);
    FakePullBackend engine;
    if (fails) {
        // As dockerd words it, inside its 200 stream.
        engine.pullError = Error::make(
            Error::Kind::NotFound,
            u"The engine could not pull: manifest for nginx:latest not found: manifest unknown: "
            u"manifest unknown"_s);
    }
    MainWindow window(&services);
    services.transfers()->setBackend(&engine);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *page = child<ExplorePage>(&window, u"explorePage"_s);
    QTRY_COMPARE(child<SearchResultsModel>(page, u"officialImagesModel"_s)->rowCount(),
                 ExplorePage::OfficialPageSize);

    PullDialog *dialog = pullFromCard(page, u"nginx"_s);
    QVERIFY(dialog);
    QTRY_COMPARE(child<QComboBox>(dialog, u"tag"_s)->currentText(), u"latest"_s);
    QSignalSpy added(services.transfers(), &TransferManager::jobAdded);
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(added.size(), 1);
    auto *job = added.first().first().value<TransferJob *>();
    QCOMPARE(window.statusBar()->currentMessage(), u"Pulling nginx:latest…"_s);

    QTRY_VERIFY(job->isFinished());
    QCOMPARE(engine.pulled.size(), 1);
    QCOMPARE(window.statusBar()->currentMessage(), expected);
    QVERIFY(!window.statusBar()->currentMessage().contains(u"manifest unknown"_s));
    services.transfers()->setBackend(nullptr);
}

void tst_ExplorePage::typeAndWait(const QString &text, int rows)
{
    searchField()->setFocus();
    QTest::keyClicks(searchField(), text);
    QTRY_COMPARE(searchModel()->rowCount(), rows);
    QTRY_VERIFY(!searchModel()->isLoading());
}

void tst_ExplorePage::pullFailureSentences_data()
{
    QTest::addColumn<QString>("reference");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no such tag")
        << u"nginx:nope"_s << int(Error::Kind::NotFound)
        << u"The engine could not pull: manifest for nginx:nope not found: manifest unknown"_s
        << u"Could not pull nginx:nope: Docker Hub has no such image or tag. Check the tag; it "
           u"may have been deleted."_s;
    QTest::newRow("private repository")
        << u"localhost:5000/team/app:1.0"_s << int(Error::Kind::Unauthorized)
        << u"The engine could not pull: unauthorized: authentication required"_s
        << u"Could not pull localhost:5000/team/app:1.0. @ADVICE:localhost:5000"_s;
    QTest::newRow("offline") << u"alpine:3.20"_s << int(Error::Kind::Network)
                             << u"The engine could not pull: dial tcp: lookup "
                                u"registry-1.docker.io: no such host"_s
                             << u"Could not pull alpine:3.20. @ADVICE:Docker Hub"_s;
    QTest::newRow("engine refused the name")
        << u"alpine:3.20"_s << int(Error::Kind::InvalidArgument)
        << u"The container engine refused: invalid reference format"_s
        << u"Could not pull alpine:3.20: the image backend refused the name or the platform. "
           u"Check both, then try again."_s;
    QTest::newRow("Berth's own words") << u"alpine:3.20"_s << int(Error::Kind::Unsupported)
                                       << u"A container engine keeps one platform of an image."_s
                                       << u"Could not pull alpine:3.20: A container engine keeps "
                                          u"one platform of an image."_s;
}

// What the status bar says after a failed pull: a sentence by the error's kind, naming the
// image and where it comes from; the engine's own text only when Berth wrote it.
void tst_ExplorePage::pullFailureSentences()
{
    QFETCH(QString, reference);
    QFETCH(int, kind);
    QFETCH(QString, raw);
    QFETCH(QString, expected);

    const auto parsed = ImageReference::parse(reference);
    QVERIFY(parsed);
    const Error error = Error::make(Error::Kind(kind), raw);
    // The advice itself is ErrorAdvice's (its own tests word it): here, that it follows.
    if (const qsizetype at = expected.indexOf(u"@ADVICE:"_s); at >= 0)
        expected = expected.left(at) + ErrorAdvice::forRegistry(error, expected.mid(at + 8));
    const QString sentence = PullStatus::failure(error, *parsed);
    QCOMPARE(sentence, expected);
    QVERIFY(!sentence.contains(u"engine"_s) || kind == int(Error::Kind::Unsupported));
}

void tst_ExplorePage::typingSearchesOnceTypingPauses()
{
    waitForCards();
    m_hub->resetCounters();
    searchField()->setFocus();
    QTest::keyClicks(searchField(), u"node"_s);
    // Nothing goes out while typing goes on, but the list shows at once.
    QCOMPARE(m_hub->requestCount(SearchV4), 0);
    QVERIFY(results()->isVisible());
    QVERIFY(!cards()->isVisible());
    QCOMPARE(status()->text(), u"Searching…"_s);
    QTRY_COMPARE(searchModel()->rowCount(), 4);
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
    QTRY_COMPARE(searchModel()->rowCount(), 4);
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
    QTRY_COMPARE(searchModel()->rowCount(), 0);
    QVERIFY(!searchModel()->hasQuery());
    QCOMPARE(searches().size(), 1);
    QVERIFY(m_page->isShowingOfficialImages());
    QTRY_VERIFY(status()->text().contains(u"Type a name"_s));

    // A filter alone browses its badge, as a list.
    m_page->findChild<QCheckBox *>(u"officialFilter"_s)->setChecked(true);
    QTRY_VERIFY(searchModel()->rowCount() >= searchModel()->pageSize());
    QVERIFY(!m_page->isShowingOfficialImages());
    QVERIFY(results()->isVisible());
    for (int row = 0; row < searchModel()->rowCount(); ++row)
        QCOMPARE(searchModel()->summary(row).badge, HubBadge::Official);
    QCOMPARE(searches().size(), 2);
    QCOMPARE(searches().constLast().queryItem(u"query"_s), QString());
    QCOMPARE(searches().constLast().queryItem(u"badges"_s), u"official"_s);
}

void tst_ExplorePage::pullAndCopy()
{
    m_hub->route(u"/v2/namespaces/bitnami/repositories/node/tags"_s,
                 tagsPage({u"22.1.0"_s, u"latest"_s, u"20.12.2"_s}));
    typeAndWait(u"node"_s, 4);
    auto *copy = m_page->findChild<QPushButton *>(u"copyPullCommandButton"_s);
    auto *pull = m_page->findChild<QPushButton *>(u"pullButton"_s);
    QVERIFY(!copy->isEnabled() && !pull->isEnabled());
    results()->setCurrentIndex(results()->model()->index(1, 0));
    QVERIFY(copy->isEnabled() && pull->isEnabled());

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"docker pull bitnami/node"_s);

    // Pull asks first: the tag, prefilled, never an implied :latest behind the user's back.
    QSignalSpy pulled(m_page.get(), &ExplorePage::pullRequested);
    QTest::mouseClick(pull, Qt::LeftButton);
    auto *dialog = waitForModal<PullDialog>();
    QVERIFY(dialog);
    QCOMPARE(pulled.size(), 0);
    QCOMPARE(child<QLineEdit>(dialog, u"reference"_s)->text(), u"bitnami/node"_s);
    auto *tag = child<QComboBox>(dialog, u"tag"_s);
    QTRY_COMPARE(tag->currentText(), u"latest"_s);
    tag->setCurrentText(u"20.12.2"_s);
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(pulled.size(), 1);
    QCOMPARE(pulled.first().at(0).value<ImageReference>().toString(),
             u"docker.io/bitnami/node:20.12.2"_s);
    QVERIFY(!pulled.first().at(1).value<PullRequest>().platform.has_value());
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

    waitForCards(); // the start page is not what fails here
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
    QCOMPARE(searchModel()->rowCount(), 0);

    // The Hub is back: "Try again" finds the results and the message goes.
    m_client->setBaseUrl(m_hub->url());
    m_hub->route(SearchV4, FakeHubResponse::fixture(u"search-v4.json"_s));
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE(searchModel()->rowCount(), 4);
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
    waitForCards(); // before the search route changes under the start page's request
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

    // The row was painted with a placeholder and asked for the logo; it arrives later (the
    // start page's cards may bring theirs meanwhile).
    QTRY_VERIFY(ready.contains(QVariantList{logoUrl}));
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
    // The start page's cards load their own logos meanwhile: only this one counts here.
    QTRY_VERIFY(failed.contains(QVariantList{url}) || ready.contains(QVariantList{url}));
    QVERIFY(failed.contains(QVariantList{url}));
    QVERIFY(!ready.contains(QVariantList{url}));
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
    QVERIFY(checked >= 10);
    QVERIFY2(unnamedControls(m_page.get()).isEmpty(),
             qPrintable(unnamedControls(m_page.get()).join(u", ")));
}

QTEST_MAIN(tst_ExplorePage)
#include "tst_explorepage.moc"
