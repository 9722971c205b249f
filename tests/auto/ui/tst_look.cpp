// The window's look, headless, on a temporary embedded store: with no icon theme on the system
// every action of the window, its pages and its dialogs still has an icon (Berth's bundled Breeze),
// in the dark variant on a dark palette; the Appearance setting, Ctrl+Q, the Transfers dock that
// folds into the status bar, the sidebar's live counts, the keyboard focus ring, and dialogs that
// keep their width while a message names a long path.
#include "uitesthelpers.h"

#include "appearance.h"
#include "appservices.h"
#include "colourcontrast.h"
#include "containersmodel.h"
#include "dialogsizing.h"
#include "icontheme.h"
#include "inlinemessage.h"
#include "localimagesmodel.h"
#include "mainwindow.h"
#include "settingsdialog.h"
#include "sidebar.h"
#include "transferindicator.h"
#include "transfermanager.h"
#include "transfersdock.h"

#include "archive/tarwriter.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleOptionFocusRect>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 60000;

// A small root filesystem, as `docker export` would write one.
bool writeRootfs(const QString &path)
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        return false;
    return (*writer)->addDirectory(u"bin"_s) && (*writer)->addBytes(u"bin/hello"_s, "hello\n")
           && (*writer)->finish();
}

// Actions a user sees: not separators, not a menu's own title, not a toolbar's show/hide entry,
// not Qt's internal ones.
bool userAction(const QAction *action)
{
    if (auto *bar = qobject_cast<QToolBar *>(action->parent());
        bar && bar->toggleViewAction() == action)
        return false;
    return !action->isSeparator() && !action->menu() && !action->objectName().startsWith(u"_q_")
           && !action->objectName().startsWith(u"qt_") && !action->text().isEmpty();
}

// The most common opaque colour of an icon: its glyph.
QColor glyphColor(const QIcon &icon)
{
    const QImage image = icon.pixmap(22, 22).toImage().convertToFormat(QImage::Format_ARGB32);
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qAlpha(image.pixel(x, y)) == 255)
                ++counts[image.pixel(x, y)];
    QRgb best = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > counts.value(best))
            best = it.key();
    return QColor::fromRgba(best);
}

} // namespace

class tst_Look final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("BERTH_STORE");
        QSettings().clear();
        // No icon theme on this "system": only what Berth bundles can answer.
        QIcon::setThemeSearchPaths({});
        QIcon::setThemeName(QString());
        applyAppearance(Appearance::System);
        m_systemWindow = QApplication::palette().color(QPalette::Window);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QVERIFY(writeRootfs(m_dir->filePath(u"rootfs.tar"_s)));
        AppSettings settings;
        settings.backend = BackendChoice::Embedded;
        settings.storePath = m_dir->filePath(u"store"_s);
        settings.hubUrl = QUrl(u"http://127.0.0.1:9"_s);
        m_services = std::make_unique<AppServices>(settings);
        m_window = std::make_unique<MainWindow>(m_services.get());
        child<TransferIndicator>(m_window.get(), u"transferIndicator"_s)->setCollapseDelay(0);
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
        applyAppearance(Appearance::System);
        QSettings().clear();
    }

    void bundledThemeHoldsEveryName()
    {
        const QStringList names = bundledIconNames();
        QVERIFY(names.contains(u"document-open"_s));
        QVERIFY(names.contains(u"application-exit"_s));
        for (const bool dark : {false, true}) {
            QIcon::setThemeName(bundledIconTheme(dark));
            for (const QString &name : names) {
                const QIcon icon = QIcon::fromTheme(name);
                QVERIFY2(!icon.isNull() && !icon.pixmap(16, 16).isNull(), qPrintable(name));
            }
        }
        installBundledIcons(); // back to the variant of the palette
    }

    void everyActionHasAnIcon()
    {
        QList<QWidget *> roots{m_window.get()};
        roots << m_window->openLoadDialog() << m_window->openImportDialog()
              << m_window->openLoginDialog() << m_window->openSettingsDialog()
              << m_window->openShareWizard({});
        QStringList bare;
        for (QWidget *root : roots) {
            for (QAction *action : root->findChildren<QAction *>()) {
                if (!userAction(action))
                    continue;
                const QIcon icon = action->icon();
                if (icon.isNull() || icon.pixmap(16, 16).isNull())
                    bare << QString::fromLatin1(root->metaObject()->className()) + u": "
                                + action->text();
            }
        }
        QVERIFY2(bare.isEmpty(), qPrintable(bare.join(u", ")));
        // The sidebar's rows too.
        const Sidebar *sidebar = child<Sidebar>(m_window.get(), u"sidebar"_s);
        for (int row = 0; row < sidebar->count(); ++row)
            QVERIFY(!sidebar->item(row)->icon().pixmap(22, 22).isNull());
    }

    void darkPaletteGetsTheDarkIcons()
    {
        const QIcon icon = QIcon::fromTheme(u"document-open"_s);
        QVERIFY(!icon.isNull());
        const int lightGlyph = glyphColor(icon).lightness();
        applyAppearance(Appearance::Dark);
        QVERIFY(isDarkPalette(QApplication::palette()));
        QCOMPARE(QIcon::themeName(), bundledIconTheme(true));
        // The same QIcon, as the toolbar holds it, now draws a light glyph.
        QVERIFY2(glyphColor(icon).lightness() > lightGlyph + 100,
                 qPrintable(u"%1 → %2"_s.arg(lightGlyph).arg(glyphColor(icon).lightness())));
        applyAppearance(Appearance::Light);
        QCOMPARE(QIcon::themeName(), bundledIconTheme(false));
    }

    void appearanceAppliedAtOnceAndSaved()
    {
        auto *dialog = qobject_cast<SettingsDialog *>(m_window->openSettingsDialog());
        QVERIFY(dialog);
        auto *appearance = child<QComboBox>(dialog, u"appearance"_s);
        appearance->setCurrentIndex(appearance->findData(int(Appearance::Dark)));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(isDarkPalette(QApplication::palette()));
        QTRY_VERIFY(isDarkPalette(m_window->palette()));
        QVERIFY(qobject_cast<FocusRingStyle *>(QApplication::style()));
        QCOMPARE(AppSettings::load().appearance, Appearance::Dark);

        applyAppearance(Appearance::Light);
        QVERIFY(!isDarkPalette(QApplication::palette()));
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 lightPalette().color(QPalette::Window));
        // System takes back the platform's colours.
        applyAppearance(Appearance::System);
        QCOMPARE(QApplication::palette().color(QPalette::Window), m_systemWindow);
    }

    void ctrlQQuits()
    {
        auto *quit = m_window->findChild<QAction *>(u"quitAction"_s);
        QVERIFY(quit);
        QVERIFY(quit->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Q)));
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(!m_window->isVisible());
    }

    void dockFoldsIntoTheStatusBar()
    {
        TransfersDock *dock = child<TransfersDock>(m_window.get(), u"TransfersDock"_s);
        auto *indicator = child<TransferIndicator>(m_window.get(), u"transferIndicator"_s);
        auto *button = child<QToolButton>(indicator, u"transferIndicatorButton"_s);
        QVERIFY(!dock->isVisible()); // idle at start
        QCOMPARE(button->text(), u"Transfers"_s);
        // A click opens it, another folds it.
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(dock->isVisible());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!dock->isVisible());

        // A new transfer opens it and the indicator counts it; done well, it folds again.
        ImportRequest request;
        request.reference = *ImageReference::parse(u"berth-test/look:1.0"_s);
        TransferJob *job = m_services->transfers()->importFilesystem(
            ArchiveSource::file(m_dir->filePath(u"rootfs.tar"_s)), request);
        QVERIFY(job);
        QVERIFY(dock->isVisible());
        // English plurals come from berth_en.qm, not loaded here: "1 transfer(s) running".
        QVERIFY2(button->text().startsWith(u"1 transfer") && button->text().endsWith(u"running"),
                 qPrintable(button->text()));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == TransferJob::State::Done, Timeout);
        QTRY_VERIFY(!dock->isVisible());
        QCOMPARE(button->text(), u"Transfers"_s);

        // A failure keeps it open and says so.
        TransferJob *failing = m_services->transfers()->importFilesystem(
            ArchiveSource::file(m_dir->filePath(u"missing.tar"_s)), request);
        QTRY_VERIFY_WITH_TIMEOUT(failing->state() == TransferJob::State::Failed, Timeout);
        QVERIFY(dock->isVisible());
        QVERIFY2(button->text().startsWith(u"1 transfer") && button->text().endsWith(u"failed"),
                 qPrintable(button->text()));
    }

    void sidebarCountsFollowTheModels()
    {
        Sidebar *sidebar = child<Sidebar>(m_window.get(), u"sidebar"_s);
        const int images = int(MainWindow::Page::Images);
        const int transfers = sidebar->count() - 1;
        QCOMPARE(sidebar->item(transfers)->text(), u"Transfers"_s);
        QTRY_COMPARE(sidebar->badgeCount(images), 0);
        QCOMPARE(sidebar->badgeCount(int(MainWindow::Page::Containers)),
                 m_services->containers()->rowCount());
        QCOMPARE(sidebar->badgeCount(transfers), -1); // nothing running: no badge

        ImportRequest request;
        request.reference = *ImageReference::parse(u"berth-test/counted:1.0"_s);
        TransferJob *job = m_services->transfers()->importFilesystem(
            ArchiveSource::file(m_dir->filePath(u"rootfs.tar"_s)), request);
        QCOMPARE(sidebar->badgeCount(transfers), 1);
        QVERIFY(sidebar->item(transfers)->toolTip().startsWith(u"1 transfer"));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == TransferJob::State::Done, Timeout);
        QTRY_COMPARE(sidebar->badgeCount(transfers), -1);
        QTRY_COMPARE(sidebar->badgeCount(images), 1);
        QVERIFY(sidebar->item(images)->toolTip().startsWith(u"1 image"));

        // Choosing Transfers opens the dock and leaves the page as it was.
        m_window->showPage(MainWindow::Page::Images);
        child<TransfersDock>(m_window.get(), u"TransfersDock"_s)->hide();
        QTest::mouseClick(sidebar->viewport(),
                          Qt::LeftButton,
                          {},
                          sidebar->visualItemRect(sidebar->item(transfers)).center());
        QVERIFY(child<TransfersDock>(m_window.get(), u"TransfersDock"_s)->isVisible());
        QCOMPARE(m_window->currentPage(), MainWindow::Page::Images);
        QCOMPARE(sidebar->currentRow(), images);
    }

    void paletteTextReads_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<QPalette::ColorRole>("role");
        QTest::addColumn<QPalette::ColorRole>("background");
        const std::pair<const char *, QPalette> palettes[]
            = {{"light", lightPalette()}, {"dark", darkPalette()}};
        const std::pair<const char *, QPalette::ColorRole> roles[]
            = {{"link", QPalette::Link},
               {"visited link", QPalette::LinkVisited},
               {"text", QPalette::Text}};
        for (const auto &[paletteName, palette] : palettes)
            for (const auto &[roleName, role] : roles) {
                QTest::addRow("%s %s on base", paletteName, roleName)
                    << palette << role << QPalette::Base;
                QTest::addRow("%s %s on window", paletteName, roleName)
                    << palette << role << QPalette::Window;
            }
    }

    // Links (the repository's overview, the guide) and text read on Berth's own palettes:
    // WCAG AA, on the page and on the window around it.
    void paletteTextReads()
    {
        QFETCH(QPalette, palette);
        QFETCH(QPalette::ColorRole, role);
        QFETCH(QPalette::ColorRole, background);
        const QColor text = palette.color(role);
        const QColor behind = palette.color(background);
        QVERIFY2(contrastRatio(text, behind) >= ReadableContrast,
                 qPrintable(u"%1 on %2: %3"_s.arg(text.name(), behind.name())
                                .arg(contrastRatio(text, behind), 0, 'f', 2)));
    }

    void focusRingIsVisible()
    {
        applyAppearance(Appearance::System); // Fusion offscreen: wrapped in the ring
        QVERIFY(qobject_cast<FocusRingStyle *>(QApplication::style()));
        const QPalette palette = lightPalette();
        auto draw = [&](QStyle::State state, const QColor &background) {
            QImage image(40, 24, QImage::Format_ARGB32);
            image.fill(background);
            QStyleOptionFocusRect option;
            option.rect = image.rect();
            option.palette = palette;
            option.state = state;
            option.backgroundColor = background;
            QPainter painter(&image);
            QApplication::style()->drawPrimitive(QStyle::PE_FrameFocusRect, &option, &painter);
            painter.end();
            return image.pixelColor(1, 12);
        };
        const QColor highlight = palette.color(QPalette::Highlight);
        const QColor keyboard = draw(QStyle::State_KeyboardFocusChange, Qt::white);
        QVERIFY2(qAbs(keyboard.hue() - highlight.hue()) < 10 && keyboard.saturation() > 100,
                 qPrintable(keyboard.name()));
        // On a selected row the ring is in the highlighted text's colour.
        const QColor selected = draw(QStyle::State_KeyboardFocusChange, highlight);
        QVERIFY2(selected.lightness() > 200 && selected.saturation() < 60,
                 qPrintable(selected.name()));
        // After a click, no ring (as Fusion).
        QCOMPARE(draw(QStyle::State_None, Qt::white), QColor(Qt::white));

        // On the sidebar's selected row: a light ring inside the highlight.
        applyAppearance(Appearance::Light);
        Sidebar *sidebar = child<Sidebar>(m_window.get(), u"sidebar"_s);
        sidebar->setCurrentRow(int(MainWindow::Page::Registries));
        sidebar->setFocus(Qt::TabFocusReason);
        m_window->setAttribute(Qt::WA_KeyboardFocusChange); // what Tab sets on the window
        const QRect row = sidebar->visualItemRect(sidebar->currentItem());
        const QImage image = sidebar->viewport()->grab().toImage();
        // Right of the text (Registries has no badge): the ring at the top, the fill below it.
        const QColor edge = image.pixelColor(row.right() - 20, row.top() + 1);
        const QColor inside = image.pixelColor(row.right() - 20, row.top() + 5);
        QVERIFY2(inside.saturation() > 100, qPrintable(inside.name())); // the selection's fill
        QVERIFY2(edge.lightness() > 200, qPrintable(edge.name()));
    }

    void dialogKeepsItsWidthWhileTyping()
    {
        QDialog *dialog = m_window->openLoadDialog();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        const int width = dialog->width();
        auto *path = dialog->findChild<QLineEdit *>(u"path"_s);
        QVERIFY(path);
        // A message naming a long path with nowhere to break.
        path->setText(u"/tmp/"_s + QString(300, u'x') + u".tar"_s);
        dialog->findChild<QPushButton *>(u"load"_s)->click();
        auto *message = dialog->findChild<InlineMessage *>(u"message"_s);
        QTRY_VERIFY(message->isVisible());
        QApplication::processEvents();
        QCOMPARE(dialog->width(), width);
        QVERIFY(dialog->height() < 600);
    }

    // The helpers on a dialog of their own: a reserved message keeps its room while hidden, and
    // growToFit() grows the height only, never the width, never shrinking.
    void dialogSizingHelpers()
    {
        QDialog dialog;
        auto *layout = new QVBoxLayout(&dialog);
        auto *label = new QLabel(u"short"_s, &dialog);
        label->setWordWrap(true);
        auto *message = new QLabel(u"A message"_s, &dialog);
        layout->addWidget(label);
        layout->addWidget(message);
        keepSizeWhileTyping(&dialog, {message});
        dialog.resize(300, dialog.sizeHint().height());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QPoint below = message->pos();
        message->hide();
        layout->activate();
        QCOMPARE(message->pos(), below); // its room kept
        QVERIFY(message->sizePolicy().retainSizeWhenHidden());

        label->setText(QString(60, u'w') + u' ' + QStringList(40, u"word"_s).join(u' '));
        const QSize before = dialog.size();
        growToFit(&dialog);
        QCOMPARE(dialog.width(), before.width());
        QVERIFY(dialog.height() > before.height());
        const int grown = dialog.height();
        label->setText(u"short"_s);
        growToFit(&dialog);
        QCOMPARE(dialog.height(), grown);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppServices> m_services;
    std::unique_ptr<MainWindow> m_window;
    QColor m_systemWindow;
};

QTEST_MAIN(tst_Look)
#include "tst_look.moc"
