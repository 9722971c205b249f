// Makes the README's screenshots: the real window over the fake Hub's fixtures and the test
// services' registries, each page grabbed to a PNG. Run by scripts/screenshots under Xvfb.
//   berth-screenshots OUTPUT_DIR   (needs $BERTH_TEST_SERVICES, as the tests do)
#include "fakehubserver.h"
#include "testservices.h"

#include "appservices.h"
#include "explorepage.h"
#include "imagespage.h"
#include "localimagesmodel.h"
#include "mainwindow.h"
#include "registriesmodel.h"
#include "repositorypage.h"
#include "transfermanager.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QListView>
#include <QNetworkProxy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWizard>

#include <cstdio>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

bool save(QWidget *widget, const QString &dir, const QString &name)
{
    QTest::qWait(300); // let the last layout and paint settle before grabbing
    const bool ok = widget->grab().save(dir + u'/' + name + u".png"_s);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED", qPrintable(name));
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Berth"_s);
    QApplication::setOrganizationName(u"Berth"_s);
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    if (argc < 2) {
        std::fprintf(stderr, "usage: berth-screenshots OUTPUT_DIR\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(out);

    FakeHubServer hub;
    if (!hub.listen())
        return 1;
    hub.route(u"/api/search/v4"_s, FakeHubResponse::fixture(u"search-v4.json"_s));
    hub.route(u"/v2/namespaces/library/repositories/node"_s,
              FakeHubResponse::fixture(u"repository-node.json"_s));
    hub.route(u"/v2/namespaces/library/repositories/node/tags"_s, [](const FakeHubRequest &r) {
        return FakeHubResponse::fixture(u"tags-node-page%1.json"_s.arg(r.queryItem(u"page"_s)));
    });

    QTemporaryDir dir;
    AppSettings settings;
    settings.backend = BackendChoice::Embedded;
    settings.storePath = dir.filePath(u"store"_s);
    settings.hubUrl = hub.url();
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

    // Explore: a search as the user types it.
    auto *search = window.explorePage()->findChild<QLineEdit *>(u"searchField"_s);
    auto *results = window.explorePage()->findChild<QListView *>(u"searchResults"_s);
    if (!search || !results)
        return 1;
    QTest::keyClicks(search, u"node"_s);
    if (!QTest::qWaitFor([&] { return results->model()->rowCount() > 0; }, 10000))
        std::fprintf(stderr, "no search results\n");
    bool ok = save(&window, out, u"explore"_s);

    // Repository: overview and tags grouped by digest.
    window.openRepository(u"node"_s);
    QTest::qWait(1500);
    ok &= save(&window, out, u"repository"_s);
    if (auto *tabs = window.repositoryPage()->findChild<QTabWidget *>()) {
        tabs->setCurrentIndex(1);
        QTest::qWait(1500);
        ok &= save(&window, out, u"repository-tags"_s);
    }

    // Images, after a pull through the Transfers dock.
    const auto busybox = *ImageReference::parse(QString(plain + u"/berth/busybox:1.0"_s));
    services.transfers()->pull(busybox);
    services.transfers()->pull(*ImageReference::parse(QString(plain + u"/berth/multiarch:1.0"_s)));
    if (!QTest::qWaitFor([&] { return !services.transfers()->hasActiveJobs(); }, 60000))
        std::fprintf(stderr, "pulls did not finish\n");
    window.showPage(MainWindow::Page::Images);
    if (!QTest::qWaitFor(
            [&] { return services.images()->find(busybox.familiarString()).isValid(); }, 10000))
        std::fprintf(stderr, "the pulled image is not listed\n");
    ok &= save(&window, out, u"images"_s);

    window.showPage(MainWindow::Page::Registries);
    QTest::qWait(1500);
    ok &= save(&window, out, u"registries"_s);

    // The share wizard, as the Images page opens it.
    QDialog *wizard = window.openShareWizard({busybox.familiarString()});
    QTest::qWait(800);
    ok &= save(wizard, out, u"share-wizard"_s);
    wizard->close();
    return ok ? 0 : 1;
}
