// Help, headless: F1 and Help → User Guide open the embedded guide (French when the interface is),
// its contents' links reach their sections from the keyboard, web links go to the desktop's
// browser, every run of text reads in Light and Dark; Help → About Berth names the version, the
// licences of Berth, of its bundled icons and of every library the build links, and opens Qt's box.
#include "testpaths.h"
#include "uitesthelpers.h"

#include "aboutdialog.h"
#include "appearance.h"
#include "appservices.h"
#include "colourcontrast.h"
#include "mainwindow.h"
#include "userguidewindow.h"

#include <QAction>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Where a web link went: the desktop's browser, as QDesktopServices hands it on.
class UrlRecorder final : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> urls;

public slots:
    void open(const QUrl &url) { urls.append(url); }
};

struct Link
{
    QString href;
    QString text;
};

QList<Link> linksOf(const QTextDocument *document)
{
    QList<Link> links;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            if (const QTextFragment f = it.fragment();
                f.charFormat().isAnchor() && !f.charFormat().anchorHref().isEmpty())
                links.append({f.charFormat().anchorHref(), f.text()});
    return links;
}

QStringList anchorNamesOf(const QTextDocument *document)
{
    QStringList names;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            names += it.fragment().charFormat().anchorNames();
    return names;
}

// The level-2 headings of a guide's Markdown source: the sections its contents list.
QStringList sectionsOf(const QString &resource)
{
    QFile file(resource);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList sections;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &line : lines)
        if (line.startsWith(u"## "))
            sections.append(line.mid(3));
    return sections;
}

// Tabs through the browser's links until `wanted` holds for the focused one's href.
bool focusLink(QTextBrowser *browser, const std::function<bool(const QString &)> &wanted)
{
    for (int i = 0; i < 100; ++i) {
        QTest::keyClick(browser, Qt::Key_Tab);
        if (!browser->hasFocus())
            return false; // past the last link
        if (wanted(browser->textCursor().charFormat().anchorHref()))
            return true;
    }
    return false;
}

} // namespace

class tst_Help final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("BERTH_STORE");
        QSettings().clear();
        applyAppearance(Appearance::Light);
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
        m_dir.reset();
        QLocale::setDefault(QLocale::c());
        applyAppearance(Appearance::Light);
        QDesktopServices::unsetUrlHandler(u"https"_s);
    }

    void f1AndTheHelpMenuOpenOneGuide()
    {
        openWindow();
        QMenu *help = helpMenu();
        QVERIFY(help);
        auto *guideAction = child<QAction>(m_window.get(), u"userGuideAction"_s);
        auto *aboutAction = child<QAction>(m_window.get(), u"aboutAction"_s);
        QVERIFY(guideAction && aboutAction);
        QVERIFY(help->actions().contains(guideAction) && help->actions().contains(aboutAction));
        for (const QAction *action : {guideAction, aboutAction})
            QVERIFY2(!action->icon().pixmap(16, 16).isNull(), qPrintable(action->text()));
        QCOMPARE(guideAction->shortcut(), QKeySequence(Qt::Key_F1));

        QTest::keyClick(m_window.get(), Qt::Key_F1);
        auto *guide = child<UserGuideWindow>(m_window.get(), u"userGuide"_s);
        QVERIFY(guide);
        QTRY_VERIFY(guide->isVisible());
        auto *browser = child<QTextBrowser>(guide, u"guideText"_s);
        QCOMPARE(browser->source(), QUrl(u"qrc:/help/USER-GUIDE.md"_s));
        QCOMPARE(browser->document()->firstBlock().text(), u"Berth user guide"_s);
        // Not modal: the window stays usable while the guide is open.
        QVERIFY(!guide->isModal());
        QCOMPARE(QApplication::activeModalWidget(), nullptr);

        // Again, from the menu: the same window, not a second one.
        guideAction->trigger();
        QCOMPARE(m_window->findChildren<UserGuideWindow *>().size(), 1);
        QTest::keyClick(guide, Qt::Key_Escape);
        QTRY_VERIFY(m_window->findChildren<UserGuideWindow *>().isEmpty());
    }

    void guideFollowsTheLanguage_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("title");
        const QString english = u":/help/USER-GUIDE.md"_s;
        const QString french = u":/help/USER-GUIDE.fr.md"_s;
        QTest::newRow("C") << QLocale::c() << english << u"Berth user guide"_s;
        QTest::newRow("en_US") << QLocale(u"en_US"_s) << english << u"Berth user guide"_s;
        QTest::newRow("fr_FR") << QLocale(u"fr_FR"_s) << french
                               << u"Guide de l'utilisateur de Berth"_s;
        QTest::newRow("fr_CA") << QLocale(u"fr_CA"_s) << french
                               << u"Guide de l'utilisateur de Berth"_s;
        QTest::newRow("fr_BE") << QLocale(u"fr_BE"_s) << french
                               << u"Guide de l'utilisateur de Berth"_s;
        // A language Berth is not translated into reads the English guide, as the interface does.
        QTest::newRow("de_DE") << QLocale(u"de_DE"_s) << english << u"Berth user guide"_s;
        QTest::newRow("ja_JP") << QLocale(u"ja_JP"_s) << english << u"Berth user guide"_s;
    }

    void guideFollowsTheLanguage()
    {
        QFETCH(QLocale, locale);
        QFETCH(QString, resource);
        QFETCH(QString, title);
        QCOMPARE(userGuideUrl(locale), QUrl(u"qrc"_s + resource));
        QLocale::setDefault(locale);
        UserGuideWindow guide;
        const auto *browser = child<QTextBrowser>(&guide, u"guideText"_s);
        QCOMPARE(browser->source(), QUrl(u"qrc"_s + resource));
        QCOMPARE(browser->document()->firstBlock().text(), title);
        // Rendered as Markdown, not shown as its source.
        QVERIFY(!browser->toPlainText().contains(u"## "_s));
        QVERIFY(browser->document()->firstBlock().blockFormat().headingLevel() == 1);
    }

    void headingAnchorsAsGitHubMakesThem_data()
    {
        QTest::addColumn<QString>("heading");
        QTest::addColumn<QString>("anchor");
        QTest::newRow("plain") << u"Pull and push"_s << u"pull-and-push"_s;
        QTest::newRow("comma") << u"berthctl, the command line"_s << u"berthctl-the-command-line"_s;
        QTest::newRow("accents") << u"La fenêtre"_s << u"la-fenêtre"_s;
        QTest::newRow("apostrophe") << u"Regarder dans l'image"_s << u"regarder-dans-limage"_s;
        QTest::newRow("capitals") << u"Paramètres"_s << u"paramètres"_s;
        QTest::newRow("symbols") << u"Save → load (tar.gz)"_s << u"save--load-targz"_s;
        QTest::newRow("hyphens kept") << u"multi-platform"_s << u"multi-platform"_s;
        QTest::newRow("empty") << QString() << QString();
    }

    void headingAnchorsAsGitHubMakesThem()
    {
        QFETCH(QString, heading);
        QFETCH(QString, anchor);
        QCOMPARE(headingAnchor(heading), anchor);
    }

    void everyContentsLinkHasItsSection_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("resource");
        QTest::newRow("English") << QLocale::c() << u":/help/USER-GUIDE.md"_s;
        QTest::newRow("French") << QLocale(u"fr_FR"_s) << u":/help/USER-GUIDE.fr.md"_s;
    }

    void everyContentsLinkHasItsSection()
    {
        QFETCH(QLocale, locale);
        QFETCH(QString, resource);
        QLocale::setDefault(locale);
        UserGuideWindow guide;
        const auto *browser = child<QTextBrowser>(&guide, u"guideText"_s);
        const QStringList anchors = anchorNamesOf(browser->document());
        QStringList internal;
        for (const Link &link : linksOf(browser->document())) {
            if (!link.href.startsWith(u'#'))
                continue;
            internal.append(link.text);
            QVERIFY2(anchors.contains(link.href.mid(1)),
                     qPrintable(u"%1 leads to no heading"_s.arg(link.href)));
        }
        // The contents list every section, in order.
        QCOMPARE(internal, sectionsOf(resource));
    }

    void keyboardFollowsALinkAndComesBack()
    {
        UserGuideWindow guide;
        guide.show();
        QVERIFY(QTest::qWaitForWindowActive(&guide));
        auto *browser = child<QTextBrowser>(&guide, u"guideText"_s);
        auto *back = child<QPushButton>(&guide, u"guideBack"_s);
        QTRY_VERIFY(browser->hasFocus());
        QVERIFY(!back->isEnabled());
        QCOMPARE(browser->verticalScrollBar()->value(), 0);

        const QString target = u"#settings"_s;
        QVERIFY(focusLink(browser, [&](const QString &href) { return href == target; }));
        QSignalSpy clicked(browser, &QTextBrowser::anchorClicked);
        QTest::keyClick(browser, Qt::Key_Return);
        QCOMPARE(clicked.size(), 1);
        QTRY_VERIFY(browser->verticalScrollBar()->value() > 0);
        QCOMPARE(browser->source().fragment(), target.mid(1));
        // The section's heading is in view.
        QTextBlock heading = browser->document()->begin();
        while (heading.isValid()
               && (heading.blockFormat().headingLevel() != 2 || heading.text() != u"Settings"))
            heading = heading.next();
        QVERIFY(heading.isValid());
        const QRect where = browser->cursorRect(QTextCursor(heading));
        QVERIFY2(browser->viewport()->rect().contains(where.center()),
                 qPrintable(u"%1,%2"_s.arg(where.center().x()).arg(where.center().y())));

        QVERIFY(back->isEnabled());
        QTest::keySequence(&guide, QKeySequence::Back);
        QTRY_COMPARE(browser->verticalScrollBar()->value(), 0);
        QVERIFY(!browser->source().hasFragment());

        // Contents returns to the start from anywhere.
        browser->setSource(QUrl(u"qrc:/help/USER-GUIDE.md#logins"_s));
        QTRY_VERIFY(browser->verticalScrollBar()->value() > 0);
        child<QPushButton>(&guide, u"guideContents"_s)->click();
        QTRY_COMPARE(browser->verticalScrollBar()->value(), 0);
    }

    void webLinksOpenInTheBrowser()
    {
        UrlRecorder recorder;
        QDesktopServices::setUrlHandler(u"https"_s, &recorder, "open");
        UserGuideWindow guide;
        guide.show();
        QVERIFY(QTest::qWaitForWindowActive(&guide));
        auto *browser = child<QTextBrowser>(&guide, u"guideText"_s);
        QTRY_VERIFY(browser->hasFocus());
        const QUrl source = browser->source();
        QVERIFY(focusLink(browser, [](const QString &href) { return href.startsWith(u"https:"); }));
        QTest::keyClick(browser, Qt::Key_Return);
        QCOMPARE(recorder.urls, QList<QUrl>{QUrl(u"https://hub.docker.com"_s)});
        // The guide stays where it was.
        QCOMPARE(browser->source(), source);
        QDesktopServices::unsetUrlHandler(u"https"_s);
    }

    void readableInLightAndDark_data()
    {
        QTest::addColumn<Appearance>("opened");
        QTest::addColumn<Appearance>("shown");
        QTest::newRow("Light") << Appearance::Light << Appearance::Light;
        QTest::newRow("Dark") << Appearance::Dark << Appearance::Dark;
        // Switched while the guide is open (Settings → Appearance applies at once).
        QTest::newRow("Light, then Dark") << Appearance::Light << Appearance::Dark;
        QTest::newRow("Dark, then Light") << Appearance::Dark << Appearance::Light;
    }

    void readableInLightAndDark()
    {
        QFETCH(Appearance, opened);
        QFETCH(Appearance, shown);
        applyAppearance(opened);
        UserGuideWindow guide;
        guide.show();
        QVERIFY(QTest::qWaitForWindowExposed(&guide));
        applyAppearance(shown);
        const auto *browser = child<QTextBrowser>(&guide, u"guideText"_s);
        QTRY_COMPARE(browser->palette().color(QPalette::Base),
                     QApplication::palette().color(QPalette::Base));
        const QPalette palette = browser->palette();
        int runs = 0;
        int links = 0;
        for (QTextBlock block = browser->document()->begin(); block.isValid();
             block = block.next()) {
            const QBrush blockBackground = block.blockFormat().background();
            for (auto it = block.begin(); !it.atEnd(); ++it) {
                const QTextCharFormat format = it.fragment().charFormat();
                const QColor text = format.foreground().style() != Qt::NoBrush
                                        ? format.foreground().color()
                                        : palette.color(QPalette::Text);
                const QColor background
                    = format.background().style() != Qt::NoBrush ? format.background().color()
                      : blockBackground.style() != Qt::NoBrush   ? blockBackground.color()
                                                                 : palette.color(QPalette::Base);
                const double ratio = contrastRatio(text, background);
                QVERIFY2(ratio >= ReadableContrast,
                         qPrintable(u"\"%1\": %2 on %3, contrast %4"_s
                                        .arg(it.fragment().text(), text.name(), background.name())
                                        .arg(ratio, 0, 'f', 2)));
                ++runs;
                links += format.isAnchor() && !format.anchorHref().isEmpty() ? 1 : 0;
            }
        }
        QVERIFY(runs > 100);
        QVERIFY(links > 10);
    }

    void aboutNamesVersionAndLicences()
    {
        openWindow();
        child<QAction>(m_window.get(), u"aboutAction"_s)->trigger();
        auto *about = waitForModal<AboutDialog>();
        QVERIFY(about);
        QCOMPARE(about->parentWidget(), static_cast<QWidget *>(m_window.get()));
        const QString text = child<QLabel>(about, u"aboutText"_s)->text();
        QVERIFY2(text.contains(QStringLiteral("Version " BERTH_VERSION)), qPrintable(text));
        QVERIFY(text.contains(u"Berth"_s));
        QVERIFY2(text.contains(u"MIT licence"_s), qPrintable(text));
        QVERIFY(!child<QLabel>(about, u"aboutIcon"_s)->pixmap().isNull());

        const QHash<QString, QString> licences = componentLicences(about);
        QCOMPARE(licences.value(u"Breeze icons (KDE)"_s), u"LGPL-3.0-or-later"_s);
        QCOMPARE(licences.value(u"Qt 6"_s), u"LGPL-3.0-only"_s);
        QCOMPARE(licences.value(u"libarchive"_s), u"BSD-2-Clause"_s);
        QCOMPARE(licences.value(u"libcurl"_s), u"curl"_s);
        QCOMPARE(licences.value(u"OpenSSL"_s), u"Apache-2.0"_s);
        QCOMPARE(licences.value(u"QtKeychain"_s), u"BSD-3-Clause"_s);
        QCOMPARE(licences.value(u"toml++"_s), u"MIT"_s);
        QCOMPARE(licences.value(u"Intel ISA-L"_s), u"BSD-3-Clause"_s);
        // The licence of the icons ships beside the guide.
        QVERIFY(QFile::exists(QStringLiteral(BERTH_SOURCE_DIR "/resources/LICENSE.breeze-icons")));

        QCOMPARE(unnamedControls(about), QStringList());
        QTest::keyClick(about, Qt::Key_Escape);
        QTRY_VERIFY(m_window->findChildren<AboutDialog *>().isEmpty());
    }

    // A library added to the build's link lines must be added to About too.
    void aboutNamesEveryLinkedLibrary()
    {
        // find_package / pkg_check_modules names → the component About lists.
        const QHash<QString, QString> components{
            {u"Qt6"_s, u"Qt 6"_s},
            {u"Qt6Keychain"_s, u"QtKeychain"_s},
            {u"LibArchive"_s, u"libarchive"_s},
            {u"OpenSSL"_s, u"OpenSSL"_s},
            {u"CURL"_s, u"libcurl"_s},
            {u"libisal"_s, u"Intel ISA-L"_s},
            {u"tomlplusplus"_s, u"toml++"_s},
            {u"PkgConfig"_s, QString()}, // a build tool, nothing linked
        };
        AboutDialog about;
        const QHash<QString, QString> licences = componentLicences(&about);
        const QRegularExpression found(
            uR"((?:find_package\(\s*(\w+))|(?:pkg_check_modules\(\s*\w+[^)]*?(lib\w+)\s*\)))"_s);
        // The build files of what the programs link (not the tests', fuzzers' or benchmarks').
        QStringList files{QStringLiteral(BERTH_SOURCE_DIR "/CMakeLists.txt")};
        for (const char *dir : {"core", "models", "ui", "cli", "app"}) {
            QDirIterator it(QStringLiteral(BERTH_SOURCE_DIR "/") + QLatin1String(dir),
                            {u"CMakeLists.txt"_s, u"*.cmake"_s},
                            QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext())
                files << it.next();
        }
        int packages = 0;
        for (const QString &name : std::as_const(files)) {
            QFile file(name);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QString cmake = QString::fromUtf8(file.readAll());
            for (const QRegularExpressionMatch &m : found.globalMatch(cmake)) {
                const QString package = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
                ++packages;
                QVERIFY2(
                    components.contains(package),
                    qPrintable(u"%1 (%2) is linked but not named in About"_s.arg(package, name)));
                const QString component = components.value(package);
                QVERIFY2(component.isEmpty() || !licences.value(component).isEmpty(),
                         qPrintable(component));
            }
        }
        QVERIFY(packages >= 7);
    }

    void aboutQtOpensQtsBox()
    {
        AboutDialog about;
        about.show();
        QVERIFY(QTest::qWaitForWindowExposed(&about));
        auto *aboutQt = child<QPushButton>(&about, u"aboutQt"_s);
        QVERIFY(!aboutQt->icon().pixmap(16, 16).isNull());
        // QMessageBox::aboutQt runs its own loop: a timer inside it closes the box.
        QString title;
        QTimer closer;
        connect(&closer, &QTimer::timeout, this, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                title = box->windowTitle();
                box->accept();
            }
        });
        closer.start(20);
        aboutQt->click();
        QVERIFY2(title.contains(u"Qt"_s), qPrintable(title));
        QVERIFY(about.isVisible());
    }

    void guideIsKeyboardReachable()
    {
        UserGuideWindow guide;
        guide.show();
        QVERIFY(QTest::qWaitForWindowActive(&guide));
        QCOMPARE(unnamedControls(&guide), QStringList());
        // Berth's own buttons have icons; Close is the style's.
        for (const QString &name : {u"guideBack"_s, u"guideContents"_s})
            QVERIFY2(!child<QPushButton>(&guide, name)->icon().pixmap(16, 16).isNull(),
                     qPrintable(name));
        QTest::keyClick(&guide, Qt::Key_Escape);
        QTRY_VERIFY(!guide.isVisible());
    }

private:
    void openWindow()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        AppSettings settings;
        settings.backend = BackendChoice::Embedded;
        settings.storePath = m_dir->filePath(u"store"_s);
        settings.hubUrl = QUrl(u"http://127.0.0.1:9"_s);
        m_services = std::make_unique<AppServices>(settings);
        m_window = std::make_unique<MainWindow>(m_services.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    QMenu *helpMenu() const
    {
        for (QAction *action : m_window->menuBar()->actions())
            if (action->menu() && action->text() == u"&Help")
                return action->menu();
        return nullptr;
    }

    static QHash<QString, QString> componentLicences(QWidget *about)
    {
        QHash<QString, QString> licences;
        const auto *list = child<QTreeWidget>(about, u"components"_s);
        for (int i = 0; list && i < list->topLevelItemCount(); ++i) {
            const QTreeWidgetItem *item = list->topLevelItem(i);
            if (!item->text(1).isEmpty())
                licences.insert(item->text(0), item->text(2));
        }
        return licences;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppServices> m_services;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(tst_Help)
#include "tst_help.moc"
