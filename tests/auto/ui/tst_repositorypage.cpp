#include "asynctest.h"
#include "fakehubserver.h"
#include "imagehistoryview.h"
#include "inlinemessage.h"
#include "overviewbrowser.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/taggrouping.h"
#include "repositorypage.h"
#include "tagfilterproxy.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"
#include "testservices.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

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
    void pullOnePlatform();
    void openWithATag();
    void compareTwoTags();
    void registryDown();

private:
    void open(const QString &name);
    QString noticeText() const
    {
        return m_page->findChild<InlineMessage *>(u"noticeBar"_s)->text();
    }
    QString registryRepository(const QString &repository) const;

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
    QSignalSpy loaded(m_page->tagsModel(), &TagGroupsModel::loaded);
    m_page->openRepository(name);
    QVERIFY(loaded.wait(60000));
    QVERIFY(!m_page->tagsModel()->isLoading());
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
    QTreeView *tree = m_page->tagsView()->treeView();
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
        for (int row = 0; row < m_page->tagsModel()->rowCount(); ++row)
            all.append(m_page->tagsModel()->group(row));
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
    QTreeView *tree = m_page->tagsView()->treeView();
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
    QVERIFY(m_page->tagsView()->selectTag(u"18.0.0-alpine"_s));
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
    QSignalSpy shown(m_page->historyView(), &ImageHistoryView::imageShown);
    open(repository + u":latest"_s);
    QCOMPARE(m_page->repository().familiarRepository(), repository);
    QTRY_COMPARE(m_page->tagsView()->currentTag()->name, u"latest"_s);
    QCOMPARE(m_page->pullCommand(), u"docker pull "_s + repository + u":latest"_s);
    QVERIFY(shown.wait(30000));
    QCOMPARE(m_page->historyView()->reference().tag(), u"latest"_s);
    QCOMPARE(m_page->historyView()->image()->configDigest.toString(),
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
    QSignalSpy failed(m_page->tagsModel(), &TagGroupsModel::errorOccurred);
    m_page->openRepository(name);
    QTRY_COMPARE(failed.size(), 1);
    QTRY_VERIFY(noticeText().contains(message));
    QVERIFY2(noticeText().contains(advice), qPrintable(noticeText()));
    QCOMPARE(m_page->tagsModel()->rowCount(), 0);
    auto *retry = m_page->findChild<QPushButton *>(u"noticeRetry"_s);
    QVERIFY(retry && !retry->isHidden());

    // Back again: "Try again" loads it and the message goes.
    if (scenario == u"closed") {
        m_hubClient->setBaseUrl(m_hub->url());
        QSignalSpy loaded(m_page->tagsModel(), &TagGroupsModel::loaded);
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(loaded.wait(30000));
        QVERIFY(m_page->tagsModel()->rowCount() > 0);
        QTRY_VERIFY(noticeText().isEmpty());
    }
}

void tst_RepositoryPage::invalidName()
{
    m_page->openRepository(u"Not A/Name!"_s);
    QVERIFY(!m_page->repository().isValid());
    QVERIFY(!noticeText().isEmpty());
    QVERIFY(noticeText().contains(u"Enter a name such as node"_s));
    QCOMPARE(m_page->tagsModel()->rowCount(), 0);
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
    QCOMPARE(m_page->tagsModel()->rowCount(), 1);
    QCOMPARE(m_page->tagsModel()->group(0).digest.toString(),
             multiarch.value(u"digest"_s).toString());

    ImageHistoryView *history = m_page->historyView();
    QSignalSpy shown(history, &ImageHistoryView::imageShown);
    QVERIFY(m_page->tagsView()->selectTag(u"1.0"_s));
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

void tst_RepositoryPage::pullOnePlatform()
{
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    const QString repository = registryRepository(multiarch.value(u"repository"_s).toString());
    open(repository);
    QVERIFY(m_page->tagsView()->selectTag(u"1.0"_s));
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

void tst_RepositoryPage::compareTwoTags()
{
    const QJsonObject many = TestServices::instance().many();
    open(registryRepository(many.value(u"repository"_s).toString()));
    QCOMPARE(m_page->tagsModel()->rowCount(), many.value(u"digests"_s).toInt());
    QCOMPARE(m_page->tagsModel()->tagCount(), many.value(u"tags"_s).toInt());

    auto *compare = m_page->findChild<QPushButton *>(u"compareButton"_s);
    QVERIFY(m_page->tagsView()->selectTag(u"1.0.0"_s));
    QVERIFY(!compare->isEnabled()); // one tag selected
    QTreeView *tree = m_page->tagsView()->treeView();
    const QModelIndex second
        = m_page->tagsView()->proxy()->mapFromSource(m_page->tagsModel()->indexOfTag(u"2.0.0"_s));
    QVERIFY(second.isValid());
    tree->selectionModel()->select(second, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(m_page->tagsView()->selectedTags(), QStringList({u"1.0.0"_s, u"2.0.0"_s}));
    QVERIFY(compare->isEnabled());

    QSignalSpy finished(m_page.get(), &RepositoryPage::comparisonFinished);
    QTest::mouseClick(compare, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    const auto comparison = m_page->lastComparison();
    QVERIFY(comparison.has_value());
    // berth/many's images differ by a label only: every layer is shared.
    const int layers = TestServices::instance().image(u"busybox"_s).value(u"layers"_s).toInt();
    QCOMPARE(comparison->first, u"1.0.0"_s);
    QCOMPARE(comparison->second, u"2.0.0"_s);
    QCOMPARE(comparison->firstLayers, layers);
    QCOMPARE(comparison->secondLayers, layers);
    QCOMPARE(comparison->sharedLayers, layers);
    QCOMPARE(comparison->sizeDifference, 0);
    const QString text = m_page->findChild<QLabel *>(u"compareResult"_s)->text();
    QVERIFY2(text.contains(u"share %1 layer"_s.arg(layers)), qPrintable(text));
    QVERIFY2(text.contains(u"same size"_s), qPrintable(text));
}

void tst_RepositoryPage::registryDown()
{
    const QString host = u"127.0.0.1:%1"_s.arg(closedPort());
    QSignalSpy failed(m_page->tagsModel(), &TagGroupsModel::errorOccurred);
    m_page->openRepository(host + u"/team/app"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 60000);
    QVERIFY2(noticeText().contains(u"Check that %1 is running"_s.arg(host)),
             qPrintable(noticeText()));
    QCOMPARE(m_page->findChild<QLineEdit *>(u"pullCommand"_s)->text(),
             u"docker pull "_s + host + u"/team/app"_s);
}

QTEST_MAIN(tst_RepositoryPage)
#include "tst_repositorypage.moc"
