#pragma once

#include "common/result.h"

#include <QCoreApplication>
#include <QList>
#include <QStringList>

class QAction;
class QObject;

namespace Berth {

// What a failure happened to, as far as the caller knows: the sentences name it.
struct ErrorContext
{
    enum class Operation {
        Other,
        Pull,
        Push,
        Save,
        Load,
        Export,
        Import,
        Remove,
        Browse,
        Copy,   // an image from one registry to another
        Delete, // an image or a tag off a registry
    };
    Operation operation = Operation::Other;
    QString image;          // "nginx:1.25", an image ID, a container
    QString registry;       // "docker.io", "localhost:5000"
    QString file;           // an archive read or written
    QStringList containers; // containers known to use `image` (names), for a refused removal
};

// Turns an Error (every kind, and the texts Docker and Podman send) into what the user reads: a
// sentence saying what happened to what, the advice saying what to do, and the actions a window
// may offer as buttons. The raw message stays in `details`, for "Copy Details" and bug reports;
// it is never the sentence when it is an engine's or a server's own words. One place, so that
// every page words the same failure the same way.
struct ErrorAdvice
{
    Q_DECLARE_TR_FUNCTIONS(ErrorAdvice)

public:
    enum class Action {
        Retry,          // run the same request again
        LogIn,          // log in to `registry`
        OpenSettings,   // registries allowed over HTTP, the engine or store in use
        ShowContainers, // the containers that keep an image
        Import,         // import `file` as a new image (a filesystem tar given to load)
    };

    QString sentence;
    QString advice;
    QList<Action> actions;
    QString details;

    static ErrorAdvice explain(const Error &error, const ErrorContext &context = {});

    // The sentence and the advice, each on its own line.
    QString text() const;
    bool offers(Action action) const { return actions.contains(action); }

    static QString actionText(Action action);
    static QString actionIconName(Action action);
    // "retryAction", "logInAction"…: for tests and the accessibility tree.
    static QString actionObjectName(Action action);
    // A QAction with the action's text, icon and object name, owned by `parent`.
    static QAction *makeAction(Action action, QObject *parent);

    // For errors from Docker Hub's API.
    static QString forHub(const Error &error);
    // For errors from a registry; `registry` names it: "docker.io", "localhost:5000".
    static QString forRegistry(const Error &error, const QString &registry);
};

inline QString hubAdvice(const Error &error)
{
    return ErrorAdvice::forHub(error);
}

inline QString registryAdvice(const Error &error, const QString &registry)
{
    return ErrorAdvice::forRegistry(error, registry);
}

} // namespace Berth
