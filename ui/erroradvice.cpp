#include "erroradvice.h"

#include "archive/archivelayout.h"

#include <QAction>
#include <QFileInfo>
#include <QIcon>
#include <QRegularExpression>

#include <optional>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

using Op = ErrorContext::Operation;
using A = ErrorAdvice::Action;

// The part of a core message before its argument: what Berth's engine client and registry
// client put before a daemon's or a server's own words.
QString prefixOf(const QString &translated)
{
    return translated.section(u"%1"_s, 0, 0);
}

// Where a message stops being Berth's words and starts quoting an engine or a server.
qsizetype quoteStart(const QString &message)
{
    for (const QString &prefix : {prefixOf(Berth::tr("The container engine refused: %1")),
                                  prefixOf(Berth::tr("The engine could not load the archive: %1")),
                                  prefixOf(Berth::tr("Cannot talk to the container engine at %1: "
                                                     "%2"))}) {
        if (message.startsWith(prefix))
            return 0; // the rest means nothing without the quote
    }
    return message.indexOf(prefixOf(Berth::tr("The registry said: %1")));
}

bool fromEngine(const QString &message)
{
    return message.contains(prefixOf(Berth::tr("Cannot talk to the container engine at %1: %2")))
           || message.startsWith(prefixOf(Berth::tr("The container engine refused: %1")))
           || message.startsWith(prefixOf(Berth::tr("The engine could not load the archive: %1")));
}

QString fileName(const QString &path)
{
    return path.isEmpty() ? QString() : QFileInfo(path).fileName();
}

// What the sentences name: the image, else the file, else the registry.
QString subjectOf(const ErrorContext &c)
{
    if (!c.image.isEmpty())
        return c.image;
    if (!c.file.isEmpty())
        return fileName(c.file);
    return c.registry.isEmpty() ? ErrorAdvice::tr("the image") : c.registry;
}

// The registry at the start of a sentence, and within one.
QString registryOf(const ErrorContext &c)
{
    return c.registry.isEmpty() ? ErrorAdvice::tr("The registry") : c.registry;
}

QString registryIn(const ErrorContext &c)
{
    return c.registry.isEmpty() ? ErrorAdvice::tr("the registry") : c.registry;
}

// Containers a refusal to remove names: the caller's names, else the IDs the engine gave.
QStringList containersIn(const QString &message, const ErrorContext &c)
{
    if (!c.containers.isEmpty())
        return c.containers;
    static const QRegularExpression id(u"(?:container|used by) ([0-9a-f]{12})[0-9a-f]*"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList ids;
    for (auto it = id.globalMatch(message); it.hasNext();) {
        const QString found = it.next().captured(1);
        if (!ids.contains(found))
            ids << found;
    }
    return ids;
}

ErrorAdvice make(QString sentence, QString advice, QList<A> actions = {})
{
    ErrorAdvice a;
    a.sentence = std::move(sentence);
    a.advice = std::move(advice);
    a.actions = std::move(actions);
    return a;
}

// Texts Docker and Podman send that have a meaning of their own, whatever their HTTP status.
std::optional<ErrorAdvice> fromEngineText(const QString &message, const ErrorContext &c)
{
    const QString m = message.toLower();
    if (m.contains(u"no space left on device"))
        return make(
            ErrorAdvice::tr("The disk is full: %1 could not be finished.").arg(subjectOf(c)),
            ErrorAdvice::tr("Free some space, for example by removing images you no "
                            "longer use, then try again."),
            {A::Retry});
    if (m.contains(u"permission denied") && m.contains(u".sock"))
        return make(ErrorAdvice::tr("Berth is not allowed to use the container engine's socket."),
                    ErrorAdvice::tr("Add your account to the docker group and log in again, or "
                                    "choose Podman or Berth's own image store in Settings."),
                    {A::OpenSettings});
    if (m.contains(u"must force") || m.contains(u"must be forced") || m.contains(u"in use by")
        || m.contains(u"being used by") || m.contains(u"is using its referenced image")) {
        const QStringList users = containersIn(message, c);
        return make(users.isEmpty()
                        ? ErrorAdvice::tr("%1 is used by a container, so it was not removed.")
                              .arg(subjectOf(c))
                        : ErrorAdvice::tr("%1 is used by the container(s) %2, so it was not "
                                          "removed.",
                                          nullptr,
                                          int(users.size()))
                              .arg(subjectOf(c), users.join(u", "_s)),
                    ErrorAdvice::tr("Remove the containers that use it first, then remove the "
                                    "image."),
                    {A::ShowContainers});
    }
    if (m.contains(u"no such image") || m.contains(u"image not known"))
        return make(
            ErrorAdvice::tr("The container engine has no image %1.").arg(subjectOf(c)),
            ErrorAdvice::tr("Refresh the Images page: it may have been removed meanwhile."));
    if (m.contains(u"no such container"))
        return make(ErrorAdvice::tr("The container %1 no longer exists.").arg(subjectOf(c)),
                    ErrorAdvice::tr("Refresh the Containers page."));
    if (m.contains(u"manifest unknown")
        || (m.contains(u"manifest for") && m.contains(u"not found")))
        return make(ErrorAdvice::tr("%1 has no image %2: that tag does not exist.")
                        .arg(registryOf(c), subjectOf(c)),
                    ErrorAdvice::tr("Check the tag on the repository's page in Explore."));
    return std::nullopt;
}

// The kind a quoted engine or server text means, when its status said less.
Error::Kind kindOfText(const QString &message, Error::Kind given)
{
    const QString m = message.toLower();
    if (m.contains(u"toomanyrequests") || m.contains(u"too many requests"))
        return Error::Kind::RateLimited;
    if (m.contains(u"unauthorized") || m.contains(u"authentication required")
        || m.contains(u"no basic auth credentials"))
        return Error::Kind::Unauthorized;
    if (m.contains(u"denied"))
        return Error::Kind::Denied;
    if (m.contains(u"connection refused") || m.contains(u"no such host")
        || m.contains(u"i/o timeout") || m.contains(u"handshake timeout"))
        return Error::Kind::Network;
    if (m.contains(u"x509") || m.contains(u"certificate")
        || m.contains(u"http response to https client"))
        return Error::Kind::Tls;
    return given;
}

// How sure Berth is that a load was given a filesystem tar: it saw one, the engine's failure
// says one (docker looks for ".../json"), or the engine only says it is no image archive (podman).
enum class Certainty { Seen, Likely, Possible };

ErrorAdvice filesystemArchive(const ErrorContext &c, Certainty certainty)
{
    const QString name = fileName(c.file).isEmpty() ? ErrorAdvice::tr("This archive")
                                                    : u"'"_s + fileName(c.file) + u"'"_s;
    QString sentence;
    switch (certainty) {
    case Certainty::Seen:
        sentence = ErrorAdvice::tr("%1 is a filesystem archive (from docker export), not an image "
                                   "archive.");
        break;
    case Certainty::Likely:
        sentence = ErrorAdvice::tr("%1 looks like a filesystem archive (from docker export), not "
                                   "an image archive.");
        break;
    case Certainty::Possible:
        sentence = ErrorAdvice::tr("%1 is not an image archive the engine can read: it may be a "
                                   "filesystem archive (from docker export).");
        break;
    }
    return make(
        sentence.arg(name), ErrorAdvice::tr("Import it as a new image instead?"), {A::Import});
}

std::optional<Certainty> filesystemArchiveCertainty(const Error &error, const ErrorContext &c)
{
    if (isFilesystemArchiveError(error))
        return Certainty::Seen;
    const QString m = error.message.toLower();
    if (c.operation != ErrorContext::Operation::Load || !fromEngine(error.message))
        return std::nullopt;
    if (m.contains(u"json: no such file"))
        return Certainty::Likely; // the engine read it all, then failed
    if (m.contains(u"does not match any of the supported image formats"))
        return Certainty::Possible;
    return std::nullopt;
}

// What went wrong when Berth had its own words for it: they stay the sentence.
QString adviceForOwnWords(Error::Kind kind, Op op)
{
    // The core's refusals to delete say what to do themselves.
    if (op == Op::Delete && (kind == Error::Kind::Denied || kind == Error::Kind::Unsupported))
        return {};
    switch (kind) {
    case Error::Kind::Io:
        return ErrorAdvice::tr("Check that there is free space and that you may write there, "
                               "then try again.");
    case Error::Kind::Keychain:
        return ErrorAdvice::tr("Unlock the system keychain, or log in for this session only.");
    case Error::Kind::Unsupported:
        return ErrorAdvice::tr("Berth cannot do this with this image or archive.");
    default:
        break;
    }
    switch (op) {
    case Op::Load:
        return ErrorAdvice::tr("Choose another archive, or make it again with docker save or "
                               "Berth.");
    case Op::Import:
        return ErrorAdvice::tr("Check the archive, then import it again.");
    case Op::Save:
    case Op::Export:
        return ErrorAdvice::tr("Choose another file, then try again.");
    default:
        return ErrorAdvice::tr("Check what was asked, then try again.");
    }
}

ErrorAdvice notFound(const ErrorContext &c)
{
    switch (c.operation) {
    case Op::Pull:
    case Op::Browse:
        return make(ErrorAdvice::tr("%1 was not found on %2.").arg(subjectOf(c), registryIn(c)),
                    ErrorAdvice::tr("Check the name and the tag: the tag may have been deleted."));
    case Op::Load:
    case Op::Import:
        if (!c.file.isEmpty())
            return make(ErrorAdvice::tr("%1 does not exist.").arg(c.file),
                        ErrorAdvice::tr("Check the path, or choose the file again."));
        break;
    default:
        break;
    }
    return make(ErrorAdvice::tr("%1 is not here any more.").arg(subjectOf(c)),
                ErrorAdvice::tr("Refresh the list: it may have been removed meanwhile."));
}

ErrorAdvice rateLimited(const Error &error, const ErrorContext &c)
{
    const QString registry = registryIn(c);
    const QString sentence = ErrorAdvice::tr("%1 limits how many requests an address may make, "
                                             "and this computer reached the limit.")
                                 .arg(registryOf(c));
    if (error.retryAfter && error.retryAfter->count() > 0) {
        const int minutes = int((error.retryAfter->count() + 59) / 60);
        return make(sentence,
                    ErrorAdvice::tr("Wait %n minute(s), or log in to %1 to raise the limit, then "
                                    "try again.",
                                    nullptr,
                                    minutes)
                        .arg(registry),
                    {A::LogIn, A::Retry});
    }
    return make(sentence,
                ErrorAdvice::tr("Wait a while, or log in to %1 to raise the limit, then try "
                                "again.")
                    .arg(registry),
                {A::LogIn, A::Retry});
}

// The kinds whose sentence Berth writes from the context, whatever the message said.
std::optional<ErrorAdvice> fromKind(const Error &error, Error::Kind kind, const ErrorContext &c)
{
    const QString start = registryOf(c);
    const QString registry = registryIn(c);
    switch (kind) {
    case Error::Kind::Unauthorized:
        return make(ErrorAdvice::tr("%1 asks you to log in before you can use %2.")
                        .arg(start, subjectOf(c)),
                    ErrorAdvice::tr("Log in to %1, then try again.").arg(registry),
                    {A::LogIn, A::Retry});
    case Error::Kind::Denied:
        if (c.operation == Op::Delete)
            return make(
                ErrorAdvice::tr("%1 does not let this account delete %2.").arg(start, subjectOf(c)),
                ErrorAdvice::tr("Log in to %1 with an account that may delete there, or "
                                "ask the registry's administrator.")
                    .arg(registry),
                {A::LogIn, A::Retry});
        return make(ErrorAdvice::tr("%1 refused access to %2.").arg(start, subjectOf(c)),
                    ErrorAdvice::tr("Check the repository's name, or log in to %1 with an account "
                                    "that may use it.")
                        .arg(registry),
                    {A::LogIn, A::Retry});
    case Error::Kind::NotFound:
        return notFound(c);
    case Error::Kind::RateLimited:
        return rateLimited(error, c);
    case Error::Kind::Tls:
        return make(ErrorAdvice::tr("The secure connection to %1 failed.").arg(registry),
                    ErrorAdvice::tr("If its certificate comes from your company's CA, put the "
                                    "CA file in ~/.config/containers/certs.d/%1/ca.crt (the "
                                    "details say what is wrong). If %1 is yours and you trust "
                                    "this network, allow plain HTTP for it in Settings.")
                        .arg(registry),
                    {A::OpenSettings, A::Retry});
    case Error::Kind::Network:
        if (error.message.contains(
                prefixOf(Berth::tr("Cannot talk to the container engine at %1: %2"))))
            return make(ErrorAdvice::tr("Berth cannot reach the container engine."),
                        ErrorAdvice::tr("Start Docker or Podman, or choose where images are kept "
                                        "in Settings."),
                        {A::OpenSettings, A::Retry});
        return make(ErrorAdvice::tr("Berth could not reach %1.").arg(registry),
                    ErrorAdvice::tr("Check your connection and that %1 is running, then try "
                                    "again.")
                        .arg(registry),
                    {A::Retry});
    case Error::Kind::Server:
        return make(fromEngine(error.message)
                        ? ErrorAdvice::tr("The container engine could not finish with %1.")
                              .arg(subjectOf(c))
                        : ErrorAdvice::tr("%1 had a problem and could not answer.").arg(start),
                    ErrorAdvice::tr("Try again in a few minutes; Copy Details shows what it "
                                    "said."),
                    {A::Retry});
    case Error::Kind::Protocol:
        return make(ErrorAdvice::tr("%1 answered something a registry does not answer.").arg(start),
                    ErrorAdvice::tr("Check the address of %1 in Settings.").arg(registry),
                    {A::OpenSettings, A::Retry});
    case Error::Kind::DigestMismatch:
        return make(ErrorAdvice::tr("What Berth received for %1 does not match its digest: it was "
                                    "damaged on the way, or altered.")
                        .arg(subjectOf(c)),
                    ErrorAdvice::tr("Try again; if it fails again, the source itself is damaged."),
                    {A::Retry});
    default:
        return std::nullopt;
    }
}

// A registry's refusal to delete, as the core words it (naming the registry, the account and what
// to do): better than any sentence made from the context.
bool refusedDeleteInOwnWords(const Error &error, const ErrorContext &c)
{
    return c.operation == Op::Delete && quoteStart(error.message) < 0
           && (error.kind == Error::Kind::Denied || error.kind == Error::Kind::Unsupported);
}

// The kinds where a core message in Berth's words says it best.
ErrorAdvice fromOwnWords(const Error &error, const ErrorContext &c)
{
    if (error.isCancelled())
        return make(ErrorAdvice::tr("Cancelled."), QString(), {A::Retry});
    QString sentence = error.message;
    if (const qsizetype quote = quoteStart(sentence); quote >= 0)
        sentence = sentence.left(quote).trimmed();
    const bool transient = error.kind == Error::Kind::Io || error.kind == Error::Kind::Keychain;
    return make(sentence.isEmpty()
                    ? ErrorAdvice::tr("Something went wrong with %1.").arg(subjectOf(c))
                    : sentence,
                adviceForOwnWords(error.kind, c.operation),
                transient ? QList<A>{A::Retry} : QList<A>{});
}

} // namespace

ErrorAdvice ErrorAdvice::explain(const Error &error, const ErrorContext &context)
{
    ErrorAdvice advice;
    if (const auto certainty = filesystemArchiveCertainty(error, context)) {
        advice = filesystemArchive(context, *certainty);
    } else if (auto engine = fromEngineText(error.message, context)) {
        advice = *engine;
    } else {
        const bool quoted = quoteStart(error.message) >= 0 || error.httpStatus != 0;
        const Error::Kind kind = quoted ? kindOfText(error.message, error.kind) : error.kind;
        const bool ownWords = (error.kind == Error::Kind::InvalidArgument && !quoted)
                              || refusedDeleteInOwnWords(error, context);
        auto byKind = ownWords ? std::nullopt : fromKind(error, kind, context);
        advice = byKind ? *byKind : fromOwnWords(error, context);
    }
    advice.details = error.message;
    return advice;
}

QString ErrorAdvice::text() const
{
    return advice.isEmpty() ? sentence : sentence + u'\n' + advice;
}

namespace {

// What each action is called, shown with and found by, in one place.
struct ActionLook
{
    const char *text; // translated in ErrorAdvice's context
    const char *icon;
    const char *objectName;
};

ActionLook lookOf(ErrorAdvice::Action action)
{
    using A = ErrorAdvice::Action;
    switch (action) {
    case A::Retry:
        return {QT_TRANSLATE_NOOP("ErrorAdvice", "Try Again"), "view-refresh", "retryAction"};
    case A::LogIn:
        return {QT_TRANSLATE_NOOP("ErrorAdvice", "Log In…"), "dialog-password", "logInAction"};
    case A::OpenSettings:
        return {
            QT_TRANSLATE_NOOP("ErrorAdvice", "Open Settings…"), "configure", "openSettingsAction"};
    case A::ShowContainers:
        return {QT_TRANSLATE_NOOP("ErrorAdvice", "Show Containers"),
                "view-list-details",
                "showContainersAction"};
    case A::Import:
        return {QT_TRANSLATE_NOOP("ErrorAdvice", "Import…"), "document-import", "importAction"};
    }
    Q_UNREACHABLE();
}

} // namespace

QString ErrorAdvice::actionText(Action action)
{
    return tr(lookOf(action).text);
}

QString ErrorAdvice::actionIconName(Action action)
{
    return QString::fromLatin1(lookOf(action).icon);
}

QString ErrorAdvice::actionObjectName(Action action)
{
    return QString::fromLatin1(lookOf(action).objectName);
}

QAction *ErrorAdvice::makeAction(Action action, QObject *parent)
{
    auto *a = new QAction(QIcon::fromTheme(actionIconName(action)), actionText(action), parent);
    a->setObjectName(actionObjectName(action));
    return a;
}

QString ErrorAdvice::forHub(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Tls:
        return tr("Check your internet connection, or the Docker Hub address in "
                  "Settings, then try again.");
    case Error::Kind::RateLimited:
        return tr("Docker Hub limits how many requests an address may make; wait a "
                  "moment, or log in to Docker Hub, then try again.");
    case Error::Kind::Server:
        return tr("Docker Hub is having trouble; try again in a few minutes.");
    case Error::Kind::Protocol:
        return tr("Check that the Docker Hub address in Settings points at Docker Hub.");
    case Error::Kind::NotFound:
        return tr("Check the repository name; search for it on the Explore page.");
    case Error::Kind::InvalidArgument:
        return tr("Refine the search to find other repositories.");
    default:
        return tr("Try again in a moment.");
    }
}

QString ErrorAdvice::forRegistry(const Error &error, const QString &registry)
{
    switch (error.kind) {
    case Error::Kind::Network:
        return tr("Check that %1 is running and reachable from this computer, then "
                  "try again.")
            .arg(registry);
    case Error::Kind::Tls:
        return tr("If its certificate comes from your company's CA, put the CA file in "
                  "~/.config/containers/certs.d/%1/ca.crt; if you trust this network, allow "
                  "plain HTTP for %1 in Settings.")
            .arg(registry);
    case Error::Kind::Unauthorized:
    case Error::Kind::Denied:
        return tr("Log in to %1 with an account that may read this repository.").arg(registry);
    case Error::Kind::NotFound:
        return tr("Check the name; the tag or repository may have been deleted.");
    case Error::Kind::RateLimited:
        return tr("%1 limits how many requests an address may make; wait a moment, or "
                  "log in, then try again.")
            .arg(registry);
    case Error::Kind::Server:
        return tr("%1 is having trouble; try again in a few minutes.").arg(registry);
    default:
        return tr("Try again in a moment.");
    }
}

} // namespace Berth
