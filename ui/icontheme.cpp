#include "icontheme.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QGuiApplication>
#include <QIcon>
#include <QPalette>
#include <QPointer>

// Outside the namespace, as Q_INIT_RESOURCE requires: keeps berth_icon_theme.qrc's data in programs
// that link the static berth_ui.
static void initBerthIconResources()
{
    Q_INIT_RESOURCE(berth_icon_theme);
}

namespace Berth {

namespace {

const QString ResourceRoot = QStringLiteral(":/icons");

bool isBundledTheme(const QString &name)
{
    return name == bundledIconTheme(false) || name == bundledIconTheme(true);
}

// A platform without an icon theme names none (offscreen) or only hicolor (a bare X session):
// the bundled theme is then the theme, not only its fallback.
bool platformHasIconTheme()
{
    const QString name = QIcon::themeName();
    return !name.isEmpty() && name != u"hicolor" && !isBundledTheme(name);
}

void applyVariant(bool ownsThemeName)
{
    const QString theme = bundledIconTheme(isDarkPalette(QGuiApplication::palette()));
    if (!QIcon::themeSearchPaths().contains(ResourceRoot))
        QIcon::setThemeSearchPaths(QIcon::themeSearchPaths() << ResourceRoot);
    QIcon::setFallbackThemeName(theme);
    if (ownsThemeName)
        QIcon::setThemeName(theme);
    // Qt 6.4 looks icons up again only when the theme or its paths change, not the fallback:
    // setting the same paths makes every icon already shown pick the new variant.
    QIcon::setThemeSearchPaths(QIcon::themeSearchPaths());
}

// Follows the application palette: a dark one gets the dark variant.
class PaletteWatcher final : public QObject
{
public:
    PaletteWatcher(bool ownsThemeName, QObject *parent)
        : QObject(parent)
        , m_ownsThemeName(ownsThemeName)
    {}

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
            applyVariant(m_ownsThemeName);
        return false;
    }

private:
    bool m_ownsThemeName;
};

} // namespace

QString bundledIconTheme(bool dark)
{
    return dark ? QStringLiteral("berth-breeze-dark") : QStringLiteral("berth-breeze");
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness()
           < palette.color(QPalette::WindowText).lightness();
}

QStringList bundledIconNames()
{
    initBerthIconResources();
    QFile file(ResourceRoot + u"/berth-icon-names.txt");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

void installBundledIcons()
{
    initBerthIconResources();
    const bool ownsThemeName = !platformHasIconTheme();
    applyVariant(ownsThemeName);
    auto *app = QCoreApplication::instance();
    if (!app)
        return;
    // Installed again (tests): this call's idea of who owns the theme name wins.
    static QPointer<PaletteWatcher> watcher;
    delete watcher;
    watcher = new PaletteWatcher(ownsThemeName, app);
    app->installEventFilter(watcher);
}

} // namespace Berth
