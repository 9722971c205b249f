#include "asynctest.h"
#include "common/humanize.h"
#include "contents/layerindexcache.h"
#include "contents/treediff.h"
#include "fakehubserver.h"
#include "imagefiles/imagecontents.h"
#include "imagefilesview.h"
#include "imagehistoryview.h"
#include "inlinemessage.h"
#include "overviewbrowser.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/taggrouping.h"
#include "repositorypage.h"
#include "statechip.h"
#include "tagcomparer.h"
#include "tagcompareview.h"
#include "tagfilterproxy.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"
#include "testservices.h"
#include "transfermanager.h"
#include "uitesthelpers.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>
#include <QUuid>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString NodeRepository = u"/v2/namespaces/library/repositories/node"_s;
const QString NodeTags = u"/v2/namespaces/library/repositories/node/tags"_s;

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class tst_RepositoryPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // Docker Hub, through the fake Hub.
    void hubOverviewAndGroupedTags();
    void hostileHubOverview();
    void tagFilter();
    void copyPullCommand();
    void pullSelectedTag();
    void hubErrorsShownInline_data();
    void hubErrorsShownInline();
    void invalidName();
    void accessibleNames();

    // A registry of the test services.
    void registryLayersAndHistory();
    void filesOfARegistryTag();
    void pullOnePlatform();
    void openWithATag();
    void compareTwoTags();
    void compareFollowsTheSelection();
    void compareWithAPickedTag();
    void staleComparisonsAreCancelled();
    void compareFailureShownInline();
    void compareShowsLayersOnlyOneHas();
    void tagLabelsAndColumns();
    void splitterKeepsItsPlace();
    void registryDown();
    void rowShownStaysWhileImagesArrive();

private:
    void open(const QString &name);
    QString noticeText() const
    {
        return m_page->findChild<InlineMessage *>(u"noticeBar"_s)->text();
    }
    // The page's parts, by the object names RepositoryPage gives them.
    TagGroupsModel *tagsModel() const
    {
        return child<TagGroupsModel>(m_page.get(), u"tagGroupsModel"_s);
    }
    TagGroupsView *tagsView() const
    {
        return child<TagGroupsView>(m_page.get(), u"tagGroupsView"_s);
    }
    QTreeView *tagTree() const { return child<QTreeView>(tagsView(), u"tagTree"_s); }
    TagFilterProxy *tagProxy() const
    {
        return child<TagFilterProxy>(tagsView(), u"tagFilterProxy"_s);
    }
    ImageHistoryView *historyView() const
    {
        return child<ImageHistoryView>(m_page.get(), u"imageHistoryView"_s);
    }
    TagCompareView *compareView() const
    {
        return child<TagCompareView>(m_page.get(), u"tagCompareView"_s);
    }
    TagComparer *tagComparer() const { return child<TagComparer>(compareView(), u"tagComparer"_s); }
    QSplitter *tagsSplitter() const { return child<QSplitter>(m_page.get(), u"tagsSplitter"_s); }
    QString registryRepository(const QString &repository) const;
    void openMany();
    void selectTags(const QStringList &names);
    QTreeWidgetItem *configField(const QString &field) const;

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_hubClient;
    std::unique_ptr<RegistryClient> m_registry;
    std::unique_ptr<RepositoryPage> m_page;
};

void tst_RepositoryPage::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void tst_RepositoryPage::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<FakeHubServer>();
    QVERIFY(m_hub->listen());
    m_hub->route(NodeRepository, FakeHubResponse::fixture(u"repository-node.json"_s));
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        return FakeHubResponse::fixture(
            u"tags-node-page%1.json"_s.arg(request.queryItem(u"page"_s)));
    });
    m_hubClient = std::make_unique<HubClient>(m_network.get());
    m_hubClient->setBaseUrl(m_hub->url());
    m_hubClient->setRateLimitRetries(0, std::chrono::seconds(0));
    m_registry = std::make_unique<RegistryClient>(m_network.get());
    m_page = std::make_unique<RepositoryPage>(m_hubClient.get(), m_registry.get());
    m_page->resize(1000, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void tst_RepositoryPage::cleanup()
{
    m_page.reset();
    m_registry.reset();
    m_hubClient.reset();
    m_hub.reset();
    m_network.reset();
}

void tst_RepositoryPage::open(const QString &name)
{
    QSignalSpy loaded(tagsModel(), &TagGroupsModel::loaded);
    m_page->openRepository(name);
    QVERIFY(loaded.wait(60000));
    QVERIFY(!tagsModel()->isLoading());
}

QString tst_RepositoryPage::registryRepository(const QString &repository) const
{
    return TestServices::instance().registry(u"plain"_s).host + u'/' + repository;
}

void tst_RepositoryPage::hubOverviewAndGroupedTags()
{
    const auto tags = await<QList<TagInfo>>(
        [&](auto done) { m_hubClient->tags(u"library"_s, u"node"_s, done); });
    QVERIFY2(tags, why(tags));
    const QList<TagGroup> expected = groupTagsByDigest(*tags);

    open(u"node"_s);
    QCOMPARE(m_page->findChild<QLabel *>(u"repositoryTitle"_s)->text(), u"node"_s);
    QCOMPARE(m_page->findChild<QLineEdit *>(u"pullCommand"_s)->text(), u"docker pull node"_s);

    // The overview is the repository's Markdown, rendered: headings, no '#' left.
    auto *overview = m_page->findChild<QTextBrowser *>(u"overview"_s);
    QTRY_VERIFY(overview->toPlainText().contains(u"Quick reference"_s));
    QVERIFY(!overview->toPlainText().contains(u"# Quick reference"_s));
    QVERIFY(overview->document()->toMarkdown().contains(u"# Quick reference"_s));
    const auto *subtitle = m_page->findChild<QLabel *>(u"repositorySubtitle"_s);
    QTRY_VERIFY(subtitle->text().contains(u"4.7B pulls"_s));

    // One row per image, its tags under it.
    QTreeView *tree = tagTree();
    QAbstractItemModelTester tester(tree->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(tree->model()->rowCount(), int(expected.size()));
    for (int row = 0; row < expected.size(); ++row) {
        const QModelIndex group = tree->model()->index(row, 0);
        QCOMPARE(tree->model()->rowCount(group), int(expected.at(row).tags.size()));
        QCOMPARE(group.data(TagGroupsModel::TagNamesRole).toStringList(), expected.at(row).tags);
    }
    // "230 tag(s), 172 image(s)" until an English plural translation exists.
    const QString status = m_page->findChild<QLabel *>(u"tagStatus"_s)->text();
    QVERIFY2(status.startsWith(u"%1 tag"_s.arg(tags->size()))
                 && status.contains(u", %1 image"_s.arg(expected.size())),
             qPrintable(status));
    QVERIFY(m_page->findChild<InlineMessage *>(u"noticeBar"_s)->isHidden());
    // An official image says so with its chip.
    auto *chip = m_page->findChild<ChipLabel *>(u"officialChip"_s);
    QVERIFY(chip && chip->isVisible());
    QCOMPARE(chip->kind(), ChipKind::Official);
}

// An overview written to hurt: an endless device as an image, raw HTML posing as a badge, local
// links; counts no Hub could mean. It renders at once, as text, and the counts show as unknown.
void tst_RepositoryPage::hostileHubOverview()
{
    const QByteArray markdown = "# Hostile\\n\\n![z](file:///dev/zero) ![p](/dev/zero)\\n\\n"
                                "<font size=7 color=red>Verified by Docker</font>\\n\\n"
                                "[passwd](file:///etc/passwd)\\n";
    m_hub->route(
        u"/v2/namespaces/hostile/repositories/overview"_s,
        FakeHubResponse::json(R"({"name":"overview","namespace":"hostile",)"
                              R"("star_count":"-Infinity","pull_count":18446744073709551616,)"
                              R"("full_description":")"
                              + markdown + R"("})"));
    m_page->openRepository(u"hostile/overview"_s);
    auto *overview = m_page->findChild<OverviewBrowser *>(u"overview"_s);
    QVERIFY(overview);
    QTRY_VERIFY(overview->toPlainText().contains(u"Hostile"_s));
    QVERIFY(overview->toPlainText().contains(u"<font size=7 color=red>"_s));
    (void)m_page->grab(); // paints the images' places: nothing is read
    const QString subtitle = m_page->findChild<QLabel *>(u"repositorySubtitle"_s)->text();
    QVERIFY2(subtitle.contains(u"★ —"_s) && subtitle.contains(u"— pulls"_s), qPrintable(subtitle));
}

void tst_RepositoryPage::tagFilter()
{
    open(u"node"_s);
    const QList<TagGroup> groups = [&] {
        QList<TagGroup> all;
        for (int row = 0; row < tagsModel()->rowCount(); ++row)
            all.append(tagsModel()->group(row));
        return all;
    }();
    qsizetype withAlpine = 0;
    for (const TagGroup &group : groups) {
        if (std::any_of(group.tags.cbegin(), group.tags.cend(), [](const QString &t) {
                return t.contains(u"alpine"_s);
            }))
            ++withAlpine;
    }
    QVERIFY(withAlpine > 0 && withAlpine < groups.size());

    auto *filter = m_page->findChild<QLineEdit *>(u"tagFilter"_s);
    QTreeView *tree = tagTree();
    QTest::keyClicks(filter, u"alpine"_s);
    // Instant: no timer, the rows are there when the key press returns.
    QCOMPARE(tree->model()->rowCount(), int(withAlpine));
    for (int row = 0; row < tree->model()->rowCount(); ++row) {
        const QModelIndex group = tree->model()->index(row, 0);
        QVERIFY(tree->model()->rowCount(group) > 0);
        for (int child = 0; child < tree->model()->rowCount(group); ++child) {
            QVERIFY(tree->model()
                        ->index(child, 0, group)
                        .data(TagGroupsModel::TagNameRole)
                        .toString()
                        .contains(u"alpine"_s));
        }
    }
    filter->clear();
    QCOMPARE(tree->model()->rowCount(), int(groups.size()));
}

void tst_RepositoryPage::copyPullCommand()
{
    open(u"node"_s);
    QGuiApplication::clipboard()->clear();
    auto *copy = m_page->findChild<QPushButton *>(u"copyPullCommand"_s);
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"docker pull node"_s);
}

void tst_RepositoryPage::pullSelectedTag()
{
    open(u"node"_s);
    auto *pull = m_page->findChild<QPushButton *>(u"pullButton"_s);
    QVERIFY(!pull->isEnabled());
    QVERIFY(tagsView()->selectTag(u"18.0.0-alpine"_s));
    QVERIFY(pull->isEnabled());
    QCOMPARE(m_page->findChild<QLineEdit *>(u"pullCommand"_s)->text(),
             u"docker pull node:18.0.0-alpine"_s);
    QCOMPARE(m_page->pullCommand(), u"docker pull node:18.0.0-alpine"_s);

    QSignalSpy pulled(m_page.get(), &RepositoryPage::pullRequested);
    QTest::mouseClick(pull, Qt::LeftButton);
    QCOMPARE(pulled.size(), 1);
    QCOMPARE(pulled.first().at(0).value<ImageReference>().toString(),
             u"docker.io/library/node:18.0.0-alpine"_s);
    QVERIFY(!pulled.first().at(1).value<std::optional<Platform>>().has_value());
}

void tst_RepositoryPage::openWithATag()
{
    // "host/berth/busybox:latest" as copied from a command opens the repository at that tag and
    // shows its image.
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    const QString repository = registryRepository(busybox.value(u"repository"_s).toString());
    QSignalSpy shown(historyView(), &ImageHistoryView::imageShown);
    open(repository + u":latest"_s);
    QCOMPARE(m_page->repository().familiarRepository(), repository);
    QTRY_COMPARE(tagsView()->currentTag()->name, u"latest"_s);
    QCOMPARE(m_page->pullCommand(), u"docker pull "_s + repository + u":latest"_s);
    QVERIFY(shown.wait(30000));
    QCOMPARE(historyView()->reference().tag(), u"latest"_s);
    QCOMPARE(historyView()->image()->configDigest.toString(),
             busybox.value(u"config"_s).toString());
}

void tst_RepositoryPage::hubErrorsShownInline_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("advice");

    QTest::newRow("Hub unreachable")
        << u"closed"_s << u"could not reach Docker Hub"_s << u"Check your internet connection"_s;
    QTest::newRow("not found") << u"404"_s << u"repository 'jean/absent' was not found"_s
                               << u"Check the repository name"_s;
}

void tst_RepositoryPage::hubErrorsShownInline()
{
    QFETCH(QString, scenario);
    QFETCH(QString, message);
    QFETCH(QString, advice);

    QString name = u"node"_s;
    if (scenario == u"closed") {
        m_hubClient->setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort())));
    } else {
        name = u"jean/absent"_s;
        for (const QString &path : {u"/v2/namespaces/jean/repositories/absent"_s,
                                    u"/v2/repositories/jean/absent/"_s,
                                    u"/v2/namespaces/jean/repositories/absent/tags"_s,
                                    u"/v2/repositories/jean/absent/tags"_s})
            m_hub->route(path, FakeHubResponse::notFound());
    }
    QSignalSpy failed(tagsModel(), &TagGroupsModel::errorOccurred);
    m_page->openRepository(name);
    QTRY_COMPARE(failed.size(), 1);
    QTRY_VERIFY(noticeText().contains(message));
    QVERIFY2(noticeText().contains(advice), qPrintable(noticeText()));
    QCOMPARE(tagsModel()->rowCount(), 0);
    // The Hub's overview and tags fail one after the other, each message making its buttons
    // anew; a button added to a visible message shows once the event loop runs.
    QPushButton *retry = nullptr;
    QTRY_VERIFY((retry = m_page->findChild<QPushButton *>(u"noticeRetry"_s)) && !retry->isHidden());

    // Back again: "Try again" loads it and the message goes.
    if (scenario == u"closed") {
        m_hubClient->setBaseUrl(m_hub->url());
        QSignalSpy loaded(tagsModel(), &TagGroupsModel::loaded);
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(loaded.wait(30000));
        QVERIFY(tagsModel()->rowCount() > 0);
        QTRY_VERIFY(noticeText().isEmpty());
    }
}

void tst_RepositoryPage::invalidName()
{
    m_page->openRepository(u"Not A/Name!"_s);
    QVERIFY(!m_page->repository().isValid());
    QVERIFY(!noticeText().isEmpty());
    QVERIFY(noticeText().contains(u"Enter a name such as node"_s));
    QCOMPARE(tagsModel()->rowCount(), 0);
    QCOMPARE(m_hub->requestCount(), 0);
}

void tst_RepositoryPage::accessibleNames()
{
    int checked = 0;
    for (QWidget *widget : m_page->findChildren<QWidget *>()) {
        const bool control
            = qobject_cast<QLineEdit *>(widget) || qobject_cast<QComboBox *>(widget)
              || qobject_cast<QPushButton *>(widget) || qobject_cast<QTreeView *>(widget)
              || qobject_cast<QTextBrowser *>(widget) || qobject_cast<QPlainTextEdit *>(widget);
        if (!control)
            continue;
        ++checked;
        QVERIFY2(!widget->accessibleName().isEmpty(),
                 qPrintable(widget->objectName() + u' '
                            + QString::fromLatin1(widget->metaObject()->className())));
    }
    // The page's own controls; an InlineMessage's buttons exist only while it offers them.
    QVERIFY(checked >= 10);
}

void tst_RepositoryPage::registryLayersAndHistory()
{
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    open(registryRepository(multiarch.value(u"repository"_s).toString()));
    QVERIFY2(noticeText().isEmpty(), qPrintable(noticeText()));
    QVERIFY(m_page->findChild<ChipLabel *>(u"officialChip"_s)->isHidden());
    QCOMPARE(tagsModel()->rowCount(), 1);
    QCOMPARE(tagsModel()->group(0).digest.toString(), multiarch.value(u"digest"_s).toString());

    ImageHistoryView *history = historyView();
    QSignalSpy shown(history, &ImageHistoryView::imageShown);
    QVERIFY(tagsView()->selectTag(u"1.0"_s));
    auto *platforms = history->findChild<QComboBox *>(u"platformCombo"_s);
    QCOMPARE(platforms->count(), 2);
    QCOMPARE(platforms->itemText(0), u"linux/amd64"_s);
    QCOMPARE(platforms->itemText(1), u"linux/arm64/v8"_s);
    QVERIFY(shown.wait(30000));

    // Layers of the platform shown, and the build history as a Dockerfile.
    const int layers = multiarch.value(u"layers"_s).toInt();
    auto *layersView = history->findChild<QTreeWidget *>(u"layersView"_s);
    auto *dockerfile = history->findChild<QPlainTextEdit *>(u"dockerfileView"_s);
    QCOMPARE(layersView->topLevelItemCount(), layers);
    QCOMPARE(int(history->image()->manifest.layers.size()), layers);
    const QTreeWidgetItem *first = layersView->topLevelItem(0);
    QCOMPARE(first->data(1, Qt::UserRole).toString(),
             history->image()->manifest.layers.first().digest.toString());
    QCOMPARE(first->data(2, Qt::UserRole).toLongLong(),
             history->image()->manifest.layers.first().size);
    QCOMPARE(first->text(3), u"COPY busybox /bin/busybox (+ applet symlinks)"_s);
    QVERIFY(dockerfile->toPlainText().contains(u"COPY berth-release hello.txt /"_s));
    QVERIFY(!dockerfile->toPlainText().contains(u"#(nop)"_s));
    QVERIFY(!dockerfile->toPlainText().contains(u"(arm64 variant)"_s));
    const QString shownPlatform = history->image()->platform.toString();

    // The other platform: its own config and history.
    const QString other
        = shownPlatform == u"linux/arm64/v8" ? u"linux/amd64"_s : u"linux/arm64/v8"_s;
    shown.clear();
    history->setCurrentPlatform(*Platform::parse(other));
    QVERIFY(shown.wait(30000));
    QCOMPARE(history->image()->platform.toString(), other);
    QCOMPARE(history->image()->manifestDigest.toString(),
             multiarch.value(u"manifests"_s).toObject().value(other).toString());
    QCOMPARE(dockerfile->toPlainText().contains(u"(arm64 variant)"_s), other == u"linux/arm64/v8");
    QCOMPARE(layersView->topLevelItemCount(), layers);
}

void tst_RepositoryPage::filesOfARegistryTag()
{
    // The Files tab looks inside the tag and platform the details show, through the registry,
    // as a job of the transfer manager, only once asked.
    QTemporaryDir cache;
    QVERIFY(cache.isValid());
    TransferManager transfers;
    transfers.setLayerIndexCache(std::make_shared<LayerIndexCache>(cache.path()));
    m_page->setTransfers(&transfers);
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    open(registryRepository(multiarch.value(u"repository"_s).toString()));
    QSignalSpy shown(historyView(), &ImageHistoryView::imageShown);
    QVERIFY(tagsView()->selectTag(u"1.0"_s));
    QVERIFY(shown.wait(30000));

    auto *files = child<ImageFilesView>(m_page.get(), u"imageFilesView"_s);
    child<QTabWidget>(m_page.get(), u"tagDetailsTabs"_s)->setCurrentWidget(files);
    QVERIFY(transfers.jobs().isEmpty()); // nothing downloaded before the user asks
    QSignalSpy loaded(files, &ImageFilesView::loaded);
    QTest::mouseClick(child<QPushButton>(files, u"lookInsideButton"_s), Qt::LeftButton);
    QCOMPARE(transfers.jobs().size(), 1);
    QVERIFY(loaded.wait(60000));
    QCOMPARE(int(files->contents()->image.layers.size()), multiarch.value(u"layers"_s).toInt());
    QVERIFY(files->contents()->tree->find("bin/busybox") >= 0);
    QCOMPARE(files->contents()->image.manifestDigest, historyView()->image()->manifestDigest);
    QCOMPARE(child<QComboBox>(files, u"layerCombo"_s)->count(),
             multiarch.value(u"layers"_s).toInt() + 1);
    QCOMPARE(unnamedControls(files), QStringList());
}

void tst_RepositoryPage::pullOnePlatform()
{
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    const QString repository = registryRepository(multiarch.value(u"repository"_s).toString());
    open(repository);
    QVERIFY(tagsView()->selectTag(u"1.0"_s));
    QCOMPARE(m_page->pullCommand(), u"docker pull "_s + repository + u":1.0"_s);

    auto *button = m_page->findChild<QPushButton *>(u"pullPlatformButton"_s);
    QVERIFY(button->isEnabled());
    QMenu *menu = button->menu();
    QStringList offered;
    for (QAction *action : menu->actions())
        offered.append(action->text());
    QCOMPARE(offered, QStringList({u"linux/amd64"_s, u"linux/arm64/v8"_s}));

    QSignalSpy pulled(m_page.get(), &RepositoryPage::pullRequested);
    menu->actions().at(1)->trigger();
    QCOMPARE(pulled.size(), 1);
    QCOMPARE(pulled.first().at(0).value<ImageReference>().toString(), repository + u":1.0"_s);
    const auto platform = pulled.first().at(1).value<std::optional<Platform>>();
    QVERIFY(platform.has_value());
    QCOMPARE(platform->toString(), u"linux/arm64/v8"_s);
}

void tst_RepositoryPage::openMany()
{
    const QJsonObject many = TestServices::instance().many();
    open(registryRepository(many.value(u"repository"_s).toString()));
    QCOMPARE(tagsModel()->rowCount(), many.value(u"digests"_s).toInt());
    QCOMPARE(tagsModel()->tagCount(), many.value(u"tags"_s).toInt());
}

void tst_RepositoryPage::selectTags(const QStringList &names)
{
    QVERIFY(tagsView()->selectTag(names.first()));
    QTreeView *tree = tagTree();
    for (const QString &name : names.mid(1)) {
        const QModelIndex index = tagProxy()->mapFromSource(tagsModel()->indexOfTag(name));
        QVERIFY(index.isValid());
        tree->selectionModel()->select(index,
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    QCOMPARE(tagsView()->selectedTags(), names);
}

QTreeWidgetItem *tst_RepositoryPage::configField(const QString &field) const
{
    auto *config = compareView()->findChild<QTreeWidget *>(u"compareConfig"_s);
    const auto found = config->findItems(field, Qt::MatchExactly);
    return found.size() == 1 ? found.first() : nullptr;
}

void tst_RepositoryPage::compareTwoTags()
{
    openMany();
    auto *compare = m_page->findChild<QPushButton *>(u"compareButton"_s);
    QVERIFY(!compare->isEnabled()); // nothing selected
    selectTags({u"1.0.0"_s, u"2.0.0"_s});
    QVERIFY(compare->isEnabled());

    QSignalSpy finished(m_page.get(), &RepositoryPage::comparisonFinished);
    QTest::mouseClick(compare, Qt::LeftButton);
    auto *tabs = m_page->findChild<QTabWidget *>(u"tagDetailsTabs"_s);
    QCOMPARE(tabs->currentWidget(), compareView());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.size(), 1);
    const auto comparison = m_page->lastComparison();
    QVERIFY(comparison.has_value());

    // berth/many's images differ by a label only: every layer shared, on the same row.
    const int layers = TestServices::instance().image(u"busybox"_s).value(u"layers"_s).toInt();
    QCOMPARE(compareView()->firstTag(), u"1.0.0"_s);
    QCOMPARE(compareView()->secondTag(), u"2.0.0"_s);
    QCOMPARE(comparison->firstLayers, layers);
    QCOMPARE(comparison->sharedLayers, layers);
    QCOMPARE(comparison->firstSize, comparison->secondSize);
    QCOMPARE(comparison->differingFields(), 1);
    auto *layersView = compareView()->findChild<QTreeWidget *>(u"compareLayers"_s);
    QCOMPARE(layersView->topLevelItemCount(), layers);
    for (int row = 0; row < layers; ++row) {
        const QTreeWidgetItem *item = layersView->topLevelItem(row);
        QCOMPARE(item->text(0), u"Shared"_s);
        QCOMPARE(item->data(1, Qt::UserRole), item->data(3, Qt::UserRole));
        QVERIFY(item->data(2, Qt::UserRole).toLongLong() > 0);
    }

    // Settings: the label that differs highlighted and open, the same ones plain and closed.
    QTreeWidgetItem *labels = configField(u"Labels"_s);
    QVERIFY(labels && labels->isExpanded() && labels->font(0).bold());
    int differing = 0;
    for (int i = 0; i < labels->childCount(); ++i) {
        const QTreeWidgetItem *entry = labels->child(i);
        if (entry->text(0) != u"org.berth.test.many")
            continue;
        ++differing;
        QCOMPARE(entry->text(1), u"1"_s);
        QCOMPARE(entry->text(2), u"2"_s);
        QVERIFY(entry->background(1).style() != Qt::NoBrush);
    }
    QCOMPARE(differing, 1);
    QTreeWidgetItem *env = configField(u"Env"_s);
    QVERIFY(env && !env->isExpanded() && !env->font(0).bold());
    QVERIFY2(env->text(1).startsWith(u"2 variable"_s),
             qPrintable(env->text(1))); // PATH, BERTH_FIXTURE
    QCOMPARE(configField(u"ExposedPorts"_s)->text(2), u"(none)"_s);
    QCOMPARE(configField(u"Cmd"_s)->text(1), uR"(["/bin/sh"])"_s);
    auto *only = compareView()->findChild<QCheckBox *>(u"onlyDifferences"_s);
    only->setChecked(true);
    QVERIFY(env->isHidden());
    QVERIFY(!labels->isHidden());
    only->setChecked(false);
    QVERIFY(!env->isHidden());

    // Size per platform, from the tag list: no request of its own.
    auto *sizes = compareView()->findChild<QTreeWidget *>(u"compareSizes"_s);
    QCOMPARE(sizes->topLevelItemCount(), 1);
    QCOMPARE(sizes->topLevelItem(0)->text(3), u"Same"_s);
    const QString summary = compareView()->findChild<QLabel *>(u"compareSummary"_s)->text();
    // "layer(s)" until the English plural forms are installed, as the app does.
    QVERIFY2(summary.contains(u"share %1 layer"_s.arg(layers)), qPrintable(summary));
    QVERIFY2(summary.contains(u"Both are %1."_s.arg(formatSize(comparison->firstSize))),
             qPrintable(summary));
    QVERIFY2(summary.contains(u"1 setting"_s), qPrintable(summary));
}

void tst_RepositoryPage::compareFollowsTheSelection()
{
    openMany();
    selectTags({u"1.0.0"_s, u"2.0.0"_s});
    QSignalSpy finished(m_page.get(), &RepositoryPage::comparisonFinished);
    m_page->compareSelected();
    QVERIFY(finished.wait(30000));

    // One tag selected now: it is compared with the second of before, without a click.
    finished.clear();
    QVERIFY(tagsView()->selectTag(u"3.0.0"_s));
    QCOMPARE(compareView()->firstTag(), u"3.0.0"_s);
    QCOMPARE(compareView()->secondTag(), u"2.0.0"_s);
    QVERIFY(compareView()->isLoading());
    QVERIFY(finished.wait(30000));
    const auto comparison = m_page->lastComparison();
    QVERIFY(comparison.has_value());
    QCOMPARE(tagComparer()->firstTag(), u"3.0.0"_s);
    QCOMPARE(comparison->differingFields(), 1);
    // 2.0.0 was read already: only 3.0.0 was asked for.
    QCOMPARE(tagComparer()->inspections(), 3);

    // Arrowing through tags: only where the selection settles is compared.
    finished.clear();
    QVERIFY(tagsView()->selectTag(u"4.0.0"_s));
    QVERIFY(tagsView()->selectTag(u"5.0.0"_s));
    QVERIFY(finished.wait(30000));
    QTest::qWait(TagCompareView::SettleMs * 2);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(tagComparer()->firstTag(), u"5.0.0"_s);
    QCOMPARE(tagComparer()->inspections(), 4);
}

void tst_RepositoryPage::compareWithAPickedTag()
{
    openMany();
    QVERIFY(tagsView()->selectTag(u"1.0.0"_s));
    auto *compare = m_page->findChild<QPushButton *>(u"compareButton"_s);
    QVERIFY(compare->isEnabled());
    QTest::mouseClick(compare, Qt::LeftButton);
    TagCompareView *view = compareView();
    QVERIFY(view->isVisible());
    QVERIFY(view->secondTag().isEmpty());
    const QString hint = view->findChild<QLabel *>(u"compareSummary"_s)->text();
    QVERIFY2(hint.contains(u"Select two tags"_s), qPrintable(hint));

    // The second tag typed into the list of tags (highest version first).
    auto *combo = view->findChild<QComboBox *>(u"compareWithCombo"_s);
    QCOMPARE(combo->count(), tagsModel()->tagCount());
    QCOMPARE(combo->itemText(combo->count() - 1), u"1"_s);
    QSignalSpy finished(m_page.get(), &RepositoryPage::comparisonFinished);
    combo->setFocus();
    combo->lineEdit()->selectAll();
    QTest::keyClicks(combo->lineEdit(), u"7.0-slim"_s);
    QTest::keyClick(combo->lineEdit(), Qt::Key_Return);
    QCOMPARE(view->secondTag(), u"7.0-slim"_s);
    QVERIFY(finished.wait(30000));
    QVERIFY(view->comparison().has_value());
    QCOMPARE(tagComparer()->secondTag(), u"7.0-slim"_s);
}

void tst_RepositoryPage::staleComparisonsAreCancelled()
{
    openMany();
    TagComparer *comparer = tagComparer();
    QSignalSpy finished(comparer, &TagComparer::finished);
    QSignalSpy failed(comparer, &TagComparer::failed);
    comparer->compare(u"1.0.0"_s, u"2.0.0"_s, std::nullopt);
    comparer->compare(u"1.0.0"_s, u"3.0.0"_s, std::nullopt);
    QVERIFY(comparer->isRunning());
    QVERIFY(finished.wait(30000));
    // Let the cancelled requests come back: they change nothing.
    QTest::qWait(500);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(comparer->secondTag(), u"3.0.0"_s);
    QVERIFY(!comparer->isRunning());
    QCOMPARE(comparer->comparison()->differingFields(), 1);
}

void tst_RepositoryPage::compareFailureShownInline()
{
    openMany();
    QVERIFY(tagsView()->selectTag(u"1.0.0"_s));
    m_page->compareSelected();
    TagCompareView *view = compareView();
    QSignalSpy failed(view, &TagCompareView::failed);
    view->setSecondTag(u"absent"_s); // no such tag in the registry
    QVERIFY(failed.wait(30000));
    auto *message = view->findChild<InlineMessage *>(u"compareMessage"_s);
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"could not compare 1.0.0 and absent"_s),
             qPrintable(message->text()));
    QVERIFY(!message->messageActions().isEmpty());
    QVERIFY(!view->comparison().has_value());

    // Another tag: the message goes, the comparison comes.
    QSignalSpy shown(view, &TagCompareView::comparisonShown);
    view->setSecondTag(u"2.0.0"_s);
    QVERIFY(message->text().isEmpty());
    QVERIFY(shown.wait(30000));
    QVERIFY(view->comparison().has_value());
}

// A repository of its own on the plain registry: "base" (berth/many's first image) and "extra",
// the same with one more layer on top.
void tst_RepositoryPage::compareShowsLayersOnlyOneHas()
{
    const QString source
        = registryRepository(TestServices::instance().many().value(u"repository"_s).toString());
    const QString name = registryRepository(u"berth/compare-"_s
                                            + QUuid::createUuid().toString(QUuid::Id128).left(12));
    const ImageReference repository = *ImageReference::parseRepository(name);
    const ImageReference from = *ImageReference::parse(QString(source + u":1.0.0"_s));
    const auto served
        = await<ManifestResponse>([&](auto done) { m_registry->fetchManifest(from, done); });
    QVERIFY2(served, why(served));
    ImageManifest manifest = *parseImageManifest(served->body, served->mediaType);
    QList<Descriptor> blobs = manifest.layers;
    blobs.append(manifest.config);
    for (const Descriptor &blob : std::as_const(blobs)) {
        const auto mounted = await<bool>(
            [&](auto done) { m_registry->mountBlob(repository, blob.digest, from.path(), done); });
        QVERIFY2(mounted && *mounted, why(mounted));
    }
    const QByteArray extraLayer = "not a tar, the registry does not look: " + name.toUtf8();
    Descriptor extra = manifest.layers.first();
    extra.digest = *Digest::parse(
        QString(u"sha256:"_s
                + QString::fromLatin1(
                    QCryptographicHash::hash(extraLayer, QCryptographicHash::Sha256).toHex())));
    extra.size = extraLayer.size();
    const auto uploaded = await<void>(
        [&](auto done) { m_registry->uploadBlob(repository, extra.digest, extraLayer, done); });
    QVERIFY2(uploaded, why(uploaded));
    const auto base = await<Digest>([&](auto done) {
        m_registry->putManifest(
            repository.withTag(u"base"_s), served->mediaType, served->body, done);
    });
    QVERIFY2(base, why(base));
    manifest.layers.append(extra);
    const auto extended = await<Digest>([&](auto done) {
        m_registry->putManifest(
            repository.withTag(u"extra"_s), served->mediaType, toJson(manifest), done);
    });
    QVERIFY2(extended, why(extended));

    open(name);
    QCOMPARE(tagsModel()->rowCount(), 2);
    selectTags({u"base"_s, u"extra"_s});
    QSignalSpy finished(m_page.get(), &RepositoryPage::comparisonFinished);
    m_page->compareSelected();
    QVERIFY(finished.wait(30000));
    const auto comparison = m_page->lastComparison();
    QVERIFY(comparison.has_value());
    const int layers = int(manifest.layers.size()) - 1;
    QCOMPARE(comparison->sharedLayers, layers);
    QCOMPARE(comparison->secondLayers, layers + 1);
    QCOMPARE(comparison->secondSize - comparison->firstSize, qint64(extraLayer.size()));
    QCOMPARE(comparison->differingFields(), 0);

    // The shared base on the same rows, the new layer below, marked.
    auto *layersView = compareView()->findChild<QTreeWidget *>(u"compareLayers"_s);
    QCOMPARE(layersView->topLevelItemCount(), layers + 1);
    for (int row = 0; row < layers; ++row)
        QCOMPARE(layersView->topLevelItem(row)->text(0), u"Shared"_s);
    const QTreeWidgetItem *last = layersView->topLevelItem(layers);
    QCOMPARE(last->text(0), u"Only in extra"_s);
    QVERIFY(last->text(1).isEmpty());
    QCOMPARE(last->data(3, Qt::UserRole).toString(), extra.digest.toString());
    QCOMPARE(last->text(4), formatSize(extraLayer.size()));
    QVERIFY(last->background(0).style() != Qt::NoBrush);
    QVERIFY(layersView->topLevelItem(0)->background(0).style() == Qt::NoBrush);
    const QString summary = compareView()->findChild<QLabel *>(u"compareSummary"_s)->text();
    QVERIFY2(summary.contains(u"extra is %1 larger"_s.arg(formatSize(extraLayer.size()))),
             qPrintable(summary));
    QVERIFY2(summary.contains(u"settings are the same"_s), qPrintable(summary));

    // Size per platform, from the tag list: the difference is the new layer.
    auto *sizes = compareView()->findChild<QTreeWidget *>(u"compareSizes"_s);
    QCOMPARE(sizes->topLevelItemCount(), 1);
    QCOMPARE(sizes->topLevelItem(0)->text(3), u"+"_s + formatSize(extraLayer.size()));
}

void tst_RepositoryPage::tagLabelsAndColumns()
{
    openMany();
    QTreeView *tree = tagTree();
    QCOMPARE(tree->textElideMode(), Qt::ElideMiddle);
    const QModelIndex group
        = tagProxy()->mapFromSource(tagsModel()->indexOfTag(u"1.0.0"_s)).parent();
    // Led by the most specific name, every tag in the tooltip.
    QCOMPARE(group.data(TagGroupsModel::TagNameRole).toString(), u"1.0.0"_s);
    const QString tooltip = group.data(Qt::ToolTipRole).toString();
    for (const QString &tag : {u"1.0.0"_s, u"v1"_s, u"1-bookworm"_s, u"1.0.0-slim"_s})
        QVERIFY2(tooltip.split(u'\n').contains(tag), qPrintable(tooltip));
    QVERIFY2(group.data().toString().startsWith(u"1.0.0, v1.0.0, 1.0.0-bookworm, "_s),
             qPrintable(group.data().toString()));
    // The label is wider than its column: shown elided, not cut.
    QVERIFY(tree->columnWidth(TagGroupsModel::NameColumn)
            < tree->fontMetrics().horizontalAdvance(group.data().toString()));

    const QHeaderView *header = tree->header();
    QCOMPARE(header->sectionResizeMode(TagGroupsModel::SizeColumn), QHeaderView::ResizeToContents);
    QCOMPARE(header->sectionResizeMode(TagGroupsModel::LastPushedColumn),
             QHeaderView::ResizeToContents);
    QVERIFY(header->stretchLastSection());
    QVERIFY(tree->columnWidth(TagGroupsModel::PlatformsColumn)
            >= tree->fontMetrics().horizontalAdvance(u"linux/amd64"_s));
}

void tst_RepositoryPage::splitterKeepsItsPlace()
{
    QSplitter *splitter = tagsSplitter();
    m_page->findChild<QTabWidget *>(u"repositoryTabs"_s)->setCurrentIndex(1);
    const int total = splitter->sizes().at(0) + splitter->sizes().at(1);
    // Where the user drags it: most of the width to the details.
    splitter->setSizes({total / 3, total - total / 3});
    const QList<int> wanted = splitter->sizes(); // as far as the panes' minimum sizes allow
    QVERIFY(wanted.at(0) < total / 2);
    emit splitter->splitterMoved(wanted.at(0), 1);
    QVERIFY(!QSettings().value(RepositoryPage::splitterStateKey()).toByteArray().isEmpty());

    // A new page (the next start) opens with the splitter there.
    m_page.reset();
    m_page = std::make_unique<RepositoryPage>(m_hubClient.get(), m_registry.get());
    m_page->resize(1000, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->findChild<QTabWidget *>(u"repositoryTabs"_s)->setCurrentIndex(1);
    // To the pixel or two that rounding the proportions costs.
    QTRY_VERIFY2(std::abs(tagsSplitter()->sizes().at(0) - wanted.at(0)) <= 2,
                 qPrintable(QString::number(tagsSplitter()->sizes().at(0))));
    QVERIFY(std::abs(tagsSplitter()->sizes().at(1) - wanted.at(1)) <= 2);
    QSettings().remove(RepositoryPage::splitterStateKey());
}

void tst_RepositoryPage::registryDown()
{
    const QString host = u"127.0.0.1:%1"_s.arg(closedPort());
    QSignalSpy failed(tagsModel(), &TagGroupsModel::errorOccurred);
    m_page->openRepository(host + u"/team/app"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 60000);
    QVERIFY2(noticeText().contains(u"Check that %1 is running"_s.arg(host)),
             qPrintable(noticeText()));
    QCOMPARE(m_page->findChild<QLineEdit *>(u"pullCommand"_s)->text(),
             u"docker pull "_s + host + u"/team/app"_s);
}

// A registry's images arrive in batches: once the user has scrolled, the row at the top of the
// list stays there while images and tags are inserted above it, and when the whole list settles.
void tst_RepositoryPage::rowShownStaysWhileImagesArrive()
{
    const QJsonObject many = TestServices::instance().many();
    m_page->resize(1000, 360);
    QTreeView *tree = tagTree();
    QScrollBar *bar = tree->verticalScrollBar();
    QPersistentModelIndex top; // of the proxy, as the view shows it
    int insertedAfterScrolling = 0;
    QString moved;
    connect(tagsModel(), &QAbstractItemModel::rowsInserted, this, [&] {
        if (top.isValid()) {
            ++insertedAfterScrolling;
            if (moved.isEmpty() && tree->indexAt(QPoint(0, 0)) != QModelIndex(top))
                moved = tree->indexAt(QPoint(0, 0)).data().toString();
            return;
        }
        tree->expandAll(); // before scrolling: the user reads the images there are
        if (bar->maximum() < 2)
            return;
        bar->setValue(bar->maximum() / 2);
        top = tree->indexAt(QPoint(0, 0));
    });

    open(registryRepository(many.value(u"repository"_s).toString()));

    QVERIFY(top.isValid());
    QVERIFY(insertedAfterScrolling > 0);
    QVERIFY2(moved.isEmpty(), qPrintable(moved));
    QCOMPARE(tree->indexAt(QPoint(0, 0)), QModelIndex(top));
    QCOMPARE(tagsModel()->groupCount(), many.value(u"digests"_s).toInt());
}

int main(int argc, char *argv[])
{
    // QSettings (the splitter's place) in a directory of the test's own, before anything reads it.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(config.path()));
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_repositorypage"_s);
    tst_RepositoryPage test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_repositorypage.moc"
