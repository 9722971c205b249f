#include "commandline.h"

#include "common/localization.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstring>

namespace Berth {

namespace {

bool asksHelpOrVersion(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *query : {"-h", "--help", "--help-all", "-v", "--version"}) {
            if (std::strcmp(argv[i], query) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

void answerHelpOrVersion(int argc, char *argv[])
{
    if (!asksHelpOrVersion(argc, argv))
        return;
    // A QCoreApplication of its own: QApplication would abort without a display (an ssh session).
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("berth"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    installTranslations();
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "Berth",
        "Find, inspect and share container images: Docker Hub, registries, local images."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("files"),
        QCoreApplication::translate("Berth",
                                    "Image archives to load (docker save, podman save, "
                                    "berthctl save), as a file manager's Open With passes them."),
        QStringLiteral("[FILE…]"));
    // Qt's own options (-platform, -style…) are QApplication's, unknown here: parse() goes on past
    // them, so `berth -style fusion --help` still shows the help. --help-all would list them for
    // a QGuiApplication only; berth.1 has them.
    parser.parse(QCoreApplication::arguments());
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all")))
        parser.showHelp(0);
    parser.showVersion();
}

} // namespace Berth
