// Makes the README's screenshots: the real window over the fake Hub's fixtures and the test
// services' registries, each page grabbed to a PNG. Run by scripts/screenshots under Xvfb.
//   berth-screenshots OUTPUT_DIR [--appearance system|light|dark] [--language fr]
// (needs $BERTH_TEST_SERVICES, as the tests do). The pages are driven through their public API
// and object names only, and a page that is not as expected costs its picture, not the run: the
// pages change more often than this tool.
#include "asynctest.h"
#include "fakehubserver.h"
#include "filesimage.h"
#include "testservices.h"

#include "appearance.h"
#include "appservices.h"
#include "common/localization.h"
#include "deleteimagedialog.h"
#include "explorepage.h"
#include "filecompareview.h"
#include "icontheme.h"
#include "imagefilesview.h"
#include "imagespage.h"
#include "localimagesmodel.h"
#include "mainwindow.h"
#include "network/proxysettings.h"
#include "registriesmodel.h"
#include "registry/registryclient.h"
#include "registryops/registrycopy.h"
#include "repositorypage.h"
#include "searchresultsmodel.h"
#include "settingsdialog.h"
#include "sharewizard.h"
#include "tagcomparer.h"
#include "tagcompareview.h"
#include "tagfilescomparer.h"
#include "taggroupsview.h"
#include "transfermanager.h"
#include "updatechecker.h"
#include "userguidewindow.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QWizard>

#include <cstdio>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

struct Options
{
    QString out;
    Appearance appearance = Appearance::Light;
    QString language; // empty: English
};

std::optional<Options> parseOptions(const QStringList &arguments)
{
    Options options;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        const QString value = arguments.value(i + 1);
        if (argument == u"--appearance" && AppSettings::parseAppearance(value)) {
            options.appearance = *AppSettings::parseAppearance(value);
            ++i;
        } else if (argument == u"--language" && !value.isEmpty()) {
            options.language = value;
            ++i;
        } else if (!argument.startsWith(u"--") && options.out.isEmpty()) {
            options.out = argument;
        } else {
            return std::nullopt;
        }
    }
    if (options.out.isEmpty())
        return std::nullopt;
    return options;
}

// As berth_main does (installTranslations), but independent of which locales the machine
// generated: the language asked for becomes the default locale (numbers, dates).
void installLanguage(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);
    const QString installed = installTranslations(locale);
    if (!language.isEmpty() && installed != language)
        std::fprintf(stderr, "no Berth translation for %s\n", qPrintable(language));
}

bool save(QWidget *widget, const QString &dir, const QString &name)
{
    QTest::qWait(400); // let the last layout, logo and paint settle before grabbing
    const bool ok = widget->grab().save(dir + u'/' + name + u".png"_s);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED", qPrintable(name));
    return ok;
}

void routeHub(FakeHubServer &hub)
{
    // The official images (with their logos) for the start page; searches get search-v4.json.
    hub.serveOfficialImages(FakeHubResponse::fixture(u"search-v4.json"_s));
    hub.route(u"/v2/namespaces/library/repositories/node"_s,
              FakeHubResponse::fixture(u"repository-node.json"_s));
    hub.route(u"/v2/namespaces/library/repositories/node/tags"_s, [](const FakeHubRequest &r) {
        return FakeHubResponse::fixture(u"tags-node-page%1.json"_s.arg(r.queryItem(u"page"_s)));
    });
}

// Explore as it opens (the official images), then a search as the user types it.
bool shootExplore(MainWindow &window, const QString &out)
{
    window.showPage(MainWindow::Page::Explore);
    auto *explore = window.findChild<ExplorePage *>(u"explorePage"_s);
    if (!explore)
        return false;
    auto *cards = explore->findChild<SearchResultsModel *>(u"officialImagesModel"_s);
    if (!cards || !QTest::qWaitFor([&] { return cards->rowCount() > 0; }, 5000))
        std::fprintf(stderr, "Explore shows no official images yet\n");
    QTest::qWait(1500); // the logos
    bool ok = save(&window, out, u"explore-start"_s);
    auto *search = explore->findChild<QLineEdit *>(u"searchField"_s);
    if (!search)
        return ok;
    QTest::keyClicks(search, u"node"_s);
    QTest::keyClick(search, Qt::Key_Return);
    QTest::qWait(1500);
    return save(&window, out, u"explore"_s) && ok;
}

// The repository page on its Tags tab, once the tags have had time to load.
QTabWidget *openTags(MainWindow &window, const QString &repository)
{
    window.openRepository(repository);
    QTest::qWait(1500);
    auto *page = window.findChild<RepositoryPage *>(u"repositoryPage"_s);
    if (!page)
        return nullptr;
    auto *tabs = page->findChild<QTabWidget *>(u"repositoryTabs"_s);
    if (!tabs)
        tabs = page->findChild<QTabWidget *>();
    if (!tabs || tabs->count() < 2)
        return nullptr;
    tabs->setCurrentIndex(1);
    QTest::qWait(1500);
    return tabs;
}

// Two rows of the tag list selected, then Compare.
bool shootCompare(MainWindow &window, QTabWidget *tabs, const QString &out)
{
    const QList<QAbstractItemView *> views
        = tabs->currentWidget()->findChildren<QAbstractItemView *>();
    for (QAbstractItemView *view : views) {
        if (!view->isVisible() || !view->model() || view->model()->rowCount() < 2)
            continue;
        view->selectionModel()->select(view->model()->index(0, 0),
                                       QItemSelectionModel::ClearAndSelect
                                           | QItemSelectionModel::Rows);
        view->selectionModel()->select(view->model()->index(1, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        break;
    }
    auto *page = window.findChild<RepositoryPage *>(u"repositoryPage"_s);
    auto *compare = page ? page->findChild<QAbstractButton *>(u"compareButton"_s) : nullptr;
    auto *comparer = page->findChild<TagComparer *>(u"tagComparer"_s);
    if (!compare || !compare->isEnabled() || !comparer)
        return true;
    // The comparison reads two images from the registry: the picture waits for its answer.
    QSignalSpy finished(comparer, &TagComparer::finished);
    QSignalSpy failed(comparer, &TagComparer::failed);
    compare->click();
    if (!QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, 30000))
        std::fprintf(stderr, "berth-screenshots: the comparison did not finish\n");
    return save(&window, out, u"repository-compare"_s);
}

// berth/webapp:1.0 and 2.0 on the plain registry: a small Node application over the same base
// layer, the second release with updated code and dependencies, a new logo, a dependency and an
// old library gone. Bytes are random (so sizes are what layers really weigh), the names real.
QByteArray filler(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator{quint32(size)};
    for (char &c : bytes)
        c = char('a' + generator.bounded(26));
    return bytes;
}

bool pushWebApp(const QString &plain)
{
    const FilesImageLayer base{
        file(u"etc/os-release"_s, "NAME=\"Berth Linux\"\nID=berth\nVERSION_ID=3.20\n"),
        file(u"etc/passwd"_s,
             "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n"),
        file(u"etc/group"_s, "root:x:0:\nnode:x:1000:\n"),
        file(u"usr/lib/libc.musl-x86_64.so.1"_s, filler(650'000), 0755),
        file(u"usr/lib/libssl.so.3"_s, filler(540'000), 0755),
        file(u"usr/lib/libcrypto.so.3"_s, filler(2'600'000), 0755),
        file(u"usr/local/bin/node"_s, filler(4'200'000), 0755),
        symlink(u"usr/local/bin/npm"_s, u"../lib/node_modules/npm/bin/npm-cli.js"_s),
        file(u"usr/local/lib/node_modules/npm/bin/npm-cli.js"_s, filler(2'100)),
        file(u"usr/local/lib/node_modules/npm/package.json"_s, filler(1'900)),
    };
    const FilesImageLayer app1{
        file(u"srv/app/package.json"_s, filler(640)),
        file(u"srv/app/server.js"_s, filler(4'800)),
        file(u"srv/app/public/index.html"_s, filler(2'300)),
        file(u"srv/app/public/app.css"_s, filler(7'100)),
        file(u"srv/app/node_modules/express/index.js"_s, filler(224)),
        file(u"srv/app/node_modules/express/lib/router.js"_s, filler(15'100)),
        file(u"srv/app/node_modules/lodash/lodash.js"_s, filler(544'000)),
        file(u"srv/app/node_modules/moment/moment.js"_s, filler(174'000)),
    };
    const FilesImageLayer app2{
        file(u"srv/app/package.json"_s, filler(690)),
        file(u"srv/app/server.js"_s, filler(6'200)),
        file(u"srv/app/public/index.html"_s, filler(2'300)),
        file(u"srv/app/public/app.css"_s, filler(7'100)),
        file(u"srv/app/public/logo.svg"_s, filler(3'400)),
        file(u"srv/app/node_modules/express/index.js"_s, filler(224)),
        file(u"srv/app/node_modules/express/lib/router.js"_s, filler(16'800)),
        file(u"srv/app/node_modules/dayjs/dayjs.min.js"_s, filler(7'000)),
        file(u"srv/app/node_modules/zod/lib/index.js"_s, filler(120'000)),
    };
    const FilesImageLayer update{file(u"usr/lib/libssl.so.3"_s, filler(560'000), 0755),
                                 whiteout(u"usr/local/lib/node_modules/npm"_s)};
    QNetworkAccessManager network;
    RegistryClient registry(&network);
    const auto repository = *ImageReference::parseRepository(QString(plain + u"/berth/webapp"_s));
    for (const auto &[tag, layers] :
         {std::pair{u"1.0"_s, QList{base, app1}}, std::pair{u"2.0"_s, QList{base, app2, update}}}) {
        const auto pushed = pushFilesImage(registry, repository.withTag(tag), layers);
        if (!pushed) {
            std::fprintf(stderr,
                         "pushing berth/webapp:%s: %s\n",
                         qPrintable(tag),
                         qPrintable(pushed.error().message));
            return false;
        }
    }
    return true;
}

// The comparison's Files section: berth/webapp 1.0 against 2.0, every folder with a change open.
bool shootCompareFiles(MainWindow &window, const QString &plain, const QString &out)
{
    if (!pushWebApp(plain) || !openTags(window, plain + u"/berth/webapp"_s))
        return false;
    auto *page = window.findChild<RepositoryPage *>(u"repositoryPage"_s);
    auto *browser = page ? page->findChild<TagGroupsView *>(u"tagGroupsView"_s) : nullptr;
    auto *compare = page ? page->findChild<TagCompareView *>(u"tagCompareView"_s) : nullptr;
    auto *files = page ? page->findChild<FileCompareView *>(u"fileCompareView"_s) : nullptr;
    auto *sections = compare ? compare->findChild<QTabWidget *>(u"compareSections"_s) : nullptr;
    if (!browser || !compare || !files || !sections || !browser->selectTag(u"1.0"_s))
        return false;
    page->compareSelected();
    compare->setSecondTag(u"2.0"_s);
    sections->setCurrentWidget(files);
    QSignalSpy shown(files, &FileCompareView::filesShown);
    QSignalSpy failed(files, &FileCompareView::failed);
    files->compareFiles();
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, 60000))
        std::fprintf(stderr, "berth-screenshots: the file comparison did not finish\n");
    if (auto *tree = files->findChild<QTreeView *>(u"fileChangesTree"_s))
        tree->expandAll();
    return save(&window, out, u"repository-compare-files"_s);
}

// The Files tab of a tag: berth/webapp:2.0 looked inside (pushed by shootCompareFiles), its
// application folder open and a text file previewed.
bool shootFiles(MainWindow &window, const QString &out)
{
    auto *page = window.findChild<RepositoryPage *>(u"repositoryPage"_s);
    auto *browser = page ? page->findChild<TagGroupsView *>(u"tagGroupsView"_s) : nullptr;
    auto *details = page ? page->findChild<QTabWidget *>(u"tagDetailsTabs"_s) : nullptr;
    auto *files = page ? page->findChild<ImageFilesView *>(u"imageFilesView"_s) : nullptr;
    if (!browser || !details || !files || !browser->selectTag(u"2.0"_s))
        return false;
    details->setCurrentWidget(files);
    // The source follows the details once they know the tag's platform: its name says so.
    auto *empty = files->findChild<QLabel *>(u"filesEmptyText"_s);
    if (!empty || !QTest::qWaitFor([&] { return empty->text().contains(u"(linux/"); }, 30000))
        std::fprintf(stderr, "berth-screenshots: the tag's platform did not settle\n");
    QSignalSpy shown(files, &ImageFilesView::treeShown);
    QSignalSpy failed(files, &ImageFilesView::failed);
    files->lookInside();
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, 60000))
        std::fprintf(stderr, "berth-screenshots: looking inside did not finish\n");
    files->selectPath("srv/app/node_modules");
    files->selectPath("etc/os-release");
    return save(&window, out, u"repository-files"_s);
}

// The repository: overview and the tag browser over the fake Hub's node; the comparison over
// a registry of the test services (berth/many: images that differ by a label), since the
// images of Docker Hub's node are not here to read.
bool shootRepository(MainWindow &window, const QString &plain, const QString &out)
{
    window.openRepository(u"node"_s);
    QTest::qWait(1500);
    bool ok = save(&window, out, u"repository"_s);
    if (openTags(window, u"node"_s))
        ok &= save(&window, out, u"repository-tags"_s);
    if (QTabWidget *tabs = openTags(window, plain + u"/berth/many"_s))
        ok &= shootCompare(window, tabs, out);
    if (shootCompareFiles(window, plain, out))
        ok &= shootFiles(window, out);
    else
        ok = false;
    return ok;
}

// The tag browser's Delete Image… dialog for one of berth/many's images: every tag that goes with
// its digest, looked up before anything is deleted (the screenshot never confirms).
bool shootDeleteDialog(AppServices &services, const QString &plain, const QString &out)
{
    DeleteImageDialog dialog(services.transfers(),
                             services.registryClient(),
                             services.hub(),
                             *ImageReference::parse(QString(plain + u"/berth/many:3.0.0"_s)));
    dialog.show();
    if (!QTest::qWaitFor([&] { return dialog.plan().has_value(); }, 30000))
        std::fprintf(stderr, "the delete dialog found no plan\n");
    return save(&dialog, out, u"repository-delete"_s);
}

// Copies `from` over `to` on the registry, as a tag moving on to a newer image would.
void copyTag(AppServices &services, const QString &from, const ImageReference &to)
{
    const auto copied = await<CopyResult>([&](auto done) {
        copyImage(*services.registryClient(), *ImageReference::parse(from), to, {}, done);
    });
    if (!copied)
        std::fprintf(stderr, "copying %s failed: %s\n", qPrintable(from), why(copied));
}

// Images, after pulls that went through the Transfers dock; one of them has moved on in its
// registry since, so an update check gives it the "Update available" chip.
bool shootImages(MainWindow &window, AppServices &services, const ImageReference &busybox)
{
    const QString plain = busybox.domain();
    const auto app = *ImageReference::parse(QString(plain + u"/shots/app:1.0"_s));
    copyTag(services, plain + u"/berth/busybox-docker:1.0"_s, app);
    services.transfers()->pull(busybox);
    services.transfers()->pull(*ImageReference::parse(QString(plain + u"/berth/multiarch:1.0"_s)));
    services.transfers()->pull(app);
    if (!QTest::qWaitFor([&] { return !services.transfers()->hasActiveJobs(); }, 60000))
        std::fprintf(stderr, "pulls did not finish\n");
    copyTag(services, plain + u"/berth/busybox:1.0"_s, app);
    QSignalSpy checked(services.updates(), &UpdateChecker::checked);
    services.updates()->checkNow();
    if (!checked.wait(30000))
        std::fprintf(stderr, "the update check did not finish\n");
    window.showPage(MainWindow::Page::Images);
    if (!QTest::qWaitFor(
            [&] { return services.images()->find(busybox.familiarString()).isValid(); }, 10000))
        std::fprintf(stderr, "the pulled image is not listed\n");
    return true;
}

// The share wizard on its Destination page, as the Images page opens it for a local image.
bool shootWizard(MainWindow &window, const ImageReference &image, const QString &out)
{
    auto *wizard = qobject_cast<QWizard *>(window.openShareWizard({image.familiarString()}));
    if (!wizard)
        return false;
    QTest::qWait(800);
    bool ok = save(wizard, out, u"share-wizard"_s);
    for (int step = 0; step < 3 && wizard->currentId() != ShareWizard::DestinationPageId; ++step)
        wizard->next();
    if (wizard->currentId() == ShareWizard::DestinationPageId) {
        QTest::qWait(1200);
        ok &= save(wizard, out, u"share-destination"_s);
    }
    wizard->close();
    return ok;
}

} // namespace

// A company's registries.conf, written before the services read it: a mirror in front of Docker
// Hub, an insecure in-house registry, a blocked namespace and two search registries.
void writeCompanyRegistriesConf(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(u"registries.conf"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(R"(unqualified-search-registries = ["docker.io", "registry.corp.example"]

[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror.corp.example/dockerhub"

[[registry]]
location = "registry.corp.example:5000"
insecure = true

[[registry]]
prefix = "ghcr.io/untrusted"
location = "ghcr.io/untrusted"
blocked = true
)");
    qputenv("CONTAINERS_REGISTRIES_CONF", path.toLocal8Bit());
}

// Settings' Registries tab (with what registries.conf says) and Network tab (a manual proxy).
bool shootSettings(MainWindow &window, AppServices &services, const QString &out)
{
    ProxySettings proxy;
    proxy.mode = ProxyMode::Manual;
    proxy.host = u"proxy.corp.example"_s;
    proxy.port = 3128;
    proxy.user = u"alice"_s;
    proxy.noProxy = u".corp.example, 10.0.0.0/8"_s;
    QSettings stored;
    proxy.save(stored);
    SettingsDialog dialog(services.registries(), services.credentials(), &window);
    dialog.resize(720, 640);
    dialog.show();
    auto *tabs = dialog.findChild<QTabWidget *>(u"settingsTabs"_s);
    tabs->setCurrentIndex(1);
    bool ok = save(&dialog, out, u"settings-registries"_s);
    tabs->setCurrentIndex(2);
    ok &= save(&dialog, out, u"settings-network"_s);
    dialog.reject();
    return ok;
}

// Help → User Guide, at its contents (in the run's language), and Help → About Berth.
bool shootHelp(MainWindow &window, const QString &out)
{
    QDialog *guide = window.openUserGuide();
    guide->resize(760, 640);
    bool ok = save(guide, out, u"help-guide"_s);
    guide->close();
    QDialog *about = window.openAboutDialog();
    ok &= save(about, out, u"help-about"_s);
    about->reject();
    return ok;
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Berth"_s);
    QApplication::setOrganizationName(u"Berth"_s);
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    const auto options = parseOptions(QApplication::arguments());
    if (!options) {
        std::fprintf(stderr,
                     "usage: berth-screenshots OUTPUT_DIR [--appearance system|light|dark] "
                     "[--language fr]\n");
        return 2;
    }
    QDir().mkpath(options->out);
    installLanguage(options->language);
    applyAppearance(options->appearance);

    FakeHubServer hub;
    if (!hub.listen())
        return 1;
    routeHub(hub);
    QTemporaryDir dir;
    writeCompanyRegistriesConf(dir);
    AppSettings settings;
    settings.backend = BackendChoice::Embedded;
    settings.storePath = dir.filePath(u"store"_s);
    settings.hubUrl = hub.url();
    settings.appearance = options->appearance;
    AppServices services(settings);
    const QString plain = TestServices::instance().registry(u"plain"_s).host;
    (void)services.registries()->addRegistry(plain, true);
    MainWindow window(&services);
    window.resize(1200, 760);
    window.show();
    services.openBackend(BackendChoice::Embedded);
    if (!QTest::qWaitForWindowExposed(&window)
        || !QTest::qWaitFor([&] { return services.backend() != nullptr; }, 20000))
        return 1;

    const QString &out = options->out;
    bool ok = shootExplore(window, out);
    ok &= shootRepository(window, plain, out);
    const auto busybox = *ImageReference::parse(QString(plain + u"/berth/busybox:1.0"_s));
    ok &= shootDeleteDialog(services, plain, out);
    shootImages(window, services, busybox);
    ok &= save(&window, out, u"images"_s);
    window.showPage(MainWindow::Page::Registries);
    QTest::qWait(1500);
    ok &= save(&window, out, u"registries"_s);
    ok &= shootWizard(window, busybox, out);
    ok &= shootSettings(window, services, out);
    ok &= shootHelp(window, out);
    return ok ? 0 : 1;
}
