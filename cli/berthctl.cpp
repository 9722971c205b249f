#include "berthctl.h"

#include "common/allocator.h"
#include "common/localization.h"
#include "credentials/secretprocess.h"

#include "clicontext.h"
#include "commands.h"

#include <QCoreApplication>
#include <QLocale>

#include <clocale>

namespace Berth::Cli {

namespace {

struct Verb
{
    const char *name;
    int (*run)(Context &, const QStringList &);
    const char *summary;
};

const Verb verbs[] = {
    {"search", searchCommand, QT_TRANSLATE_NOOP("Berth", "Search Docker Hub for images")},
    {"tags", tagsCommand, QT_TRANSLATE_NOOP("Berth", "List a repository's tags grouped by digest")},
    {"inspect",
     inspectCommand,
     QT_TRANSLATE_NOOP("Berth", "Show an image's manifest, config and history")},
    {"login",
     loginCommand,
     QT_TRANSLATE_NOOP("Berth", "Log in to a registry (secret kept in the keychain)")},
    {"logout", logoutCommand, QT_TRANSLATE_NOOP("Berth", "Log out of a registry")},
    {"images", imagesCommand, QT_TRANSLATE_NOOP("Berth", "List local images")},
    {"pull", pullCommand, QT_TRANSLATE_NOOP("Berth", "Pull an image from a registry")},
    {"push", pushCommand, QT_TRANSLATE_NOOP("Berth", "Push a local image to a registry")},
    {"tag", tagCommand, QT_TRANSLATE_NOOP("Berth", "Give a local image another name")},
    {"history",
     historyCommand,
     QT_TRANSLATE_NOOP("Berth", "Show how a local image was built, step by step")},
    {"rmi", rmiCommand, QT_TRANSLATE_NOOP("Berth", "Remove local images")},
    {"prune", pruneCommand, QT_TRANSLATE_NOOP("Berth", "Remove unused local images")},
    {"fsck", fsckCommand, QT_TRANSLATE_NOOP("Berth", "Verify the embedded image store")},
    {"save", saveCommand, QT_TRANSLATE_NOOP("Berth", "Save images to a tar archive")},
    {"load", loadCommand, QT_TRANSLATE_NOOP("Berth", "Load images from a tar archive")},
    {"export",
     exportCommand,
     QT_TRANSLATE_NOOP("Berth", "Export a container's or an image's filesystem as a tar archive")},
    {"import",
     importCommand,
     QT_TRANSLATE_NOOP("Berth", "Import a filesystem tar archive as an image")},
    {"ls",
     lsCommand,
     QT_TRANSLATE_NOOP("Berth", "List the files inside an image, or a layer's changes")},
    {"cat", catCommand, QT_TRANSLATE_NOOP("Berth", "Write a file of an image to standard output")},
    {"cp", cpCommand, QT_TRANSLATE_NOOP("Berth", "Copy a file or a folder out of an image")},
    {"diff", diffCommand, QT_TRANSLATE_NOOP("Berth", "Compare two images file by file")},
    {"du",
     duCommand,
     QT_TRANSLATE_NOOP("Berth", "Show each layer's size, wasted space and the largest files")},
    {"copy",
     copyImageCommand,
     QT_TRANSLATE_NOOP("Berth", "Copy an image from one registry or repository to another")},
};

QString overview()
{
    QString text = tr("Usage: berthctl COMMAND [OPTIONS]\n\nFind, inspect and share container "
                      "images.\n\nCommands:\n");
    for (const Verb &v : verbs)
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromLatin1(v.name).leftJustified(10), Berth::tr(v.summary));
    text += tr("\nRun 'berthctl COMMAND --help' for a command's options.\n"
               "Exit codes: 0 success, 1 the operation failed, 2 usage error.\n");
    return text;
}

} // namespace

int run(int argc, char *argv[])
{
    // Before any password is read (login, the keychain, docker's helpers): no core dump of it.
    keepSecretsOutOfCrashDumps();
    // libarchive 3.6.2 crashes writing non-ASCII names under the C locale.
    std::setlocale(LC_CTYPE, "C.UTF-8");
    tuneAllocatorForTransfers();
    QCoreApplication app(argc, argv);
    // The GUI's name: berthctl shares its settings (accounts) and its image store.
    QCoreApplication::setApplicationName(QStringLiteral("Berth"));
    QCoreApplication::setOrganizationName(QStringLiteral("Berth"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));

    // Qt's own strings (QCommandLineParser's "Displays help on commandline options.") and
    // Berth's, English plural forms included.
    Berth::installTranslations();

    Context context;
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    if (arguments.isEmpty() || arguments.first() == u"--help" || arguments.first() == u"-h"
        || arguments.first() == u"help") {
        if (arguments.isEmpty()) {
            context.err() << overview();
            return UsageError;
        }
        context.out() << overview();
        return Success;
    }
    if (arguments.first() == u"--version" || arguments.first() == u"version") {
        context.out() << "berthctl " << QCoreApplication::applicationVersion() << '\n';
        return Success;
    }
    const QString verb = arguments.first();
    for (const Verb &v : verbs) {
        if (verb == QLatin1String(v.name)) {
            // QCommandLineParser wants a program name first: give it "berthctl verb".
            arguments.first() = QStringLiteral("berthctl ") + verb;
            return v.run(context, arguments);
        }
    }
    return context.usage(tr("unknown command '%1'").arg(verb));
}

} // namespace Berth::Cli
