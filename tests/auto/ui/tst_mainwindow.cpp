// The whole window, headless, on a temporary embedded store and the test services: the pages are
// wired to each other (Registries → Repository → pull → Images), the shared actions and shortcuts
// work, archives dropped on the window open the Load dialog, and every control is named.
#include "asynctest.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "appservices.h"
#include "explorepage.h"
#include "imagespage.h"
#include "loaddialog.h"
#include "localimagesmodel.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "repositorypage.h"
#include "sidebar.h"
#include "transfermanager.h"
#include "transfersdock.h"

#include "store/imagebackend.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_MainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("BERTH_STORE");
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        AppSettings settings;
        settings.backend = BackendChoice::Embedded;
        settings.storePath = m_dir->filePath(u"store"_s);
        settings.hubUrl = QUrl(u"http://127.0.0.1:9"_s); // nothing there: no real Hub traffic
        m_services = std::make_unique<AppServices>(settings);
        m_window = std::make_unique<MainWindow>(m_services.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_services->openBackend(BackendChoice::Embedded);
        QTRY_VERIFY(m_services->backend() != nullptr);
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
        m_dir.reset();
    }

    void pagesAndBackend()
    {
        const Sidebar *sidebar = child<Sidebar>(m_window.get(), u"sidebar"_s);
        QCOMPARE(sidebar->count(), 6); // five pages, then Transfers
        QCOMPARE(m_window->currentPage(), MainWindow::Page::Explore);
        // The embedded store has no containers: no Containers page to get lost in.
        QVERIFY(sidebar->item(int(MainWindow::Page::Containers))->isHidden());
        QCOMPARE(m_services->backend()->kind(), ImageBackend::Kind::Embedded);
        QVERIFY(unnamedControls(m_window.get()).isEmpty());
    }

    // "Images in:" on the Images page looks elsewhere; the saved default stays Settings' choice.
    void imagesInLeavesDefault()
    {
        AppSettings saved = m_services->settings();
        saved.save();
        m_window->showPage(MainWindow::Page::Images);
        auto *images = child<ImagesPage>(m_window.get(), u"ImagesPage"_s);
        auto *box = child<QComboBox>(images, u"backendBox"_s);
        const int podman = box->findData(int(BackendChoice::Podman));
        QVERIFY(podman >= 0);
        box->setCurrentIndex(podman);
        emit box->activated(podman);
        QCOMPARE(m_services->backendChoice(), BackendChoice::Podman);
        QTRY_VERIFY_WITH_TIMEOUT(!m_services->isOpeningBackend(), 30000);
        QCOMPARE(m_services->settings().backend, BackendChoice::Embedded);
        QCOMPARE(AppSettings::load().backend, BackendChoice::Embedded);
    }

    void searchShortcutFocusesExplore()
    {
        m_window->showPage(MainWindow::Page::Images);
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(m_window->currentPage(), MainWindow::Page::Explore);
        auto *focused = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        QVERIFY(focused);
        QVERIFY(child<ExplorePage>(m_window.get(), u"explorePage"_s)->isAncestorOf(focused));
    }

    // Inside Explore too, where a second Ctrl+F binding once made Qt drop the key as ambiguous.
    void searchShortcutInsideExplore()
    {
        QTest::failOnWarning(QRegularExpression(u"[Aa]mbiguous"_s));
        m_window->showPage(MainWindow::Page::Explore);
        auto *explore = child<ExplorePage>(m_window.get(), u"explorePage"_s);
        auto *field = explore->findChild<QLineEdit *>(u"searchField"_s);
        auto *results = explore->findChild<QListView *>(u"searchResults"_s);
        QVERIFY(field && results);
        field->setText(u"node"_s);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        results->setFocus();
        QVERIFY(!field->hasFocus());
        QTest::keyClick(results, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(field->hasFocus());
        QCOMPARE(field->selectedText(), u"node"_s);
    }

    void loginShortcutOpensLogin()
    {
        QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
        auto *dialog = waitForModal<LoginDialog>();
        QVERIFY(dialog);
        dialog->reject();
    }

    void repositoryPullShowsInImages()
    {
        const QString plain = TestServices::instance().registry(u"plain"_s).host;
        m_window->openRepository(plain + u"/berth/busybox"_s);
        QCOMPARE(m_window->currentPage(), MainWindow::Page::Repository);

        // The repository page asks for a pull; the window runs it as a job in the dock.
        const auto reference = *ImageReference::parse(QString(plain + u"/berth/busybox:1.0"_s));
        emit child<RepositoryPage>(m_window.get(), u"repositoryPage"_s)
            ->pullRequested(reference, std::nullopt);
        QCOMPARE(m_services->transfers()->jobs().size(), 1);
        TransferJob *job = m_services->transfers()->jobs().first();
        QTRY_VERIFY_WITH_TIMEOUT(!job->isActive(), 120000);
        QCOMPARE(job->state(), TransferJob::State::Done);
        QVERIFY(child<TransfersDock>(m_window.get(), u"TransfersDock"_s)->isVisible());
        // Images lists it without being asked.
        QTRY_VERIFY(m_services->images()->find(reference.familiarString()).isValid());
    }

    void droppedArchiveOpensLoad()
    {
        const QString archive = m_dir->filePath(u"images.tar.gz"_s);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(archive)});
        QDragEnterEvent enter(
            QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_window.get(), &drop);
        auto *dialog = waitForModal<LoadDialog>();
        QVERIFY(dialog);
        QCOMPARE(dialog->path(), archive);
        dialog->reject();

        // Anything else is refused.
        QMimeData text;
        text.setUrls({QUrl::fromLocalFile(m_dir->filePath(u"notes.txt"_s))});
        QDragEnterEvent other(
            QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        other.setAccepted(false);
        QApplication::sendEvent(m_window.get(), &other);
        QVERIFY(!other.isAccepted());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppServices> m_services;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
