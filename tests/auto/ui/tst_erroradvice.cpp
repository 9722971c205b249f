// ErrorAdvice (ui/erroradvice): one row per Error kind and per text Docker and Podman send, each
// checked for its sentence (naming the image, registry or file), its advice, the actions offered,
// and that an engine's or a server's own words stay out of the sentence and in the details.

#include "erroradvice.h"

#include "archive/archivelayout.h"

#include <QAction>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

using Action = ErrorAdvice::Action;
using Op = ErrorContext::Operation;
Q_DECLARE_METATYPE(Berth::Error)
Q_DECLARE_METATYPE(Berth::ErrorContext)
Q_DECLARE_METATYPE(QList<Berth::ErrorAdvice::Action>)

namespace {

Error error(Error::Kind kind, const QString &message, int status = 0)
{
    Error e = Error::make(kind, message);
    e.httpStatus = status;
    return e;
}

// What the engine client makes of a daemon's answer (core/store/engineclient.cpp).
Error engine(Error::Kind kind, const QString &daemon, int status = 500)
{
    return error(kind, Berth::tr("The container engine refused: %1").arg(daemon), status);
}

ErrorContext context(Op op, const QString &image, const QString &registry, const QString &file = {})
{
    ErrorContext c;
    c.operation = op;
    c.image = image;
    c.registry = registry;
    c.file = file;
    return c;
}

const ErrorContext PullNginx = context(Op::Pull, u"nginx:1.99"_s, u"docker.io"_s);

} // namespace

class tst_ErrorAdvice final : public QObject
{
    Q_OBJECT

private slots:
    void explain_data();
    void explain();
    void everyKindHasWords();
    void actions_data();
    void actions();
};

void tst_ErrorAdvice::explain_data()
{
    QTest::addColumn<Error>("error");
    QTest::addColumn<ErrorContext>("context");
    QTest::addColumn<QString>("sentence"); // a fragment of it
    QTest::addColumn<QString>("advice");   // a fragment of it
    QTest::addColumn<QList<Action>>("actions");
    QTest::addColumn<QString>("hidden"); // must not be in the sentence nor the advice
    using K = Error::Kind;
    const ErrorContext removeBusybox = context(Op::Remove, u"busybox:1.36"_s, {});
    const ErrorContext loadRootfs = context(Op::Load, {}, {}, u"/home/me/rootfs.tar"_s);

    // Every kind.
    QTest::newRow("invalid argument")
        << error(K::InvalidArgument, u"'x.tar' is empty."_s) << loadRootfs << u"'x.tar' is empty."_s
        << u"Choose another archive"_s << QList<Action>{} << QString();
    QTest::newRow("unauthorized") << error(
        K::Unauthorized, u"docker.io requires authentication"_s, 401)
                                  << PullNginx
                                  << u"docker.io asks you to log in before you can use nginx:1.99"_s
                                  << u"Log in to docker.io"_s
                                  << QList<Action>{Action::LogIn, Action::Retry}
                                  << u"requires authentication"_s;
    QTest::newRow("denied") << error(K::Denied, u"Access denied"_s, 403) << PullNginx
                            << u"docker.io refused access to nginx:1.99"_s
                            << u"Check the repository's name"_s
                            << QList<Action>{Action::LogIn, Action::Retry} << u"Access denied"_s;
    // Deleting from a registry: a denial says the account may not delete there; a registry with
    // deletes turned off keeps the core's sentence naming it, without what the registry said.
    const ErrorContext deleteApp
        = context(Op::Delete, u"127.0.0.1:5000/team/app:1.0"_s, u"127.0.0.1:5000"_s);
    QTest::newRow("delete denied")
        << error(K::Denied,
                 u"The registry said: DENIED: requested access to the resource is "
                 u"denied"_s,
                 403)
        << deleteApp << u"127.0.0.1:5000 does not let this account delete"_s
        << u"account that may delete there"_s << QList<Action>{Action::LogIn, Action::Retry}
        << u"DENIED"_s;
    const QString turnedOff = u"127.0.0.1:5000 does not allow deleting images (deletes are "
                              u"turned off in its configuration), so tag '1.0' of team/app was "
                              u"not deleted. Ask its administrator to enable deletes."_s;
    QTest::newRow("delete turned off, the core's words")
        << error(K::Unsupported, turnedOff, 405) << deleteApp << turnedOff << QString()
        << QList<Action>{} << QString();
    const QString anonymous = u"127.0.0.1:5000 does not let anonymous users delete tag '1.0' of "
                              u"team/app. Log in to 127.0.0.1:5000 with an account that may "
                              u"delete images in this repository."_s;
    QTest::newRow("delete denied, the core's words")
        << error(K::Denied, anonymous, 401) << deleteApp << anonymous << QString()
        << QList<Action>{} << QString();
    QTest::newRow("not found") << error(K::NotFound, u"MANIFEST_UNKNOWN"_s, 404) << PullNginx
                               << u"nginx:1.99 was not found on docker.io"_s << u"tag"_s
                               << QList<Action>{} << u"MANIFEST_UNKNOWN"_s;
    Error limited = error(K::RateLimited, u"TOOMANYREQUESTS: slow down"_s, 429);
    limited.retryAfter = std::chrono::seconds(150);
    QTest::newRow("rate limited") << limited << PullNginx << u"docker.io limits how many requests"_s
                                  << u"Wait 3 minute"_s
                                  << QList<Action>{Action::LogIn, Action::Retry} << u"slow down"_s;
    QTest::newRow("tls") << error(K::Tls, u"certificate verify failed"_s)
                         << context(Op::Push, u"127.0.0.1:5000/me/app:1"_s, u"127.0.0.1:5000"_s)
                         << u"secure connection to 127.0.0.1:5000 failed"_s << u"allow plain HTTP"_s
                         << QList<Action>{Action::OpenSettings, Action::Retry}
                         << u"verify failed"_s;
    QTest::newRow("network") << error(K::Network, u"Could not find the host of nope.example."_s)
                             << context(Op::Pull, u"nope.example/a:1"_s, u"nope.example"_s)
                             << u"Berth could not reach nope.example."_s
                             << u"that nope.example is running"_s << QList<Action>{Action::Retry}
                             << QString();
    QTest::newRow("server") << error(K::Server, u"HTTP 502 from upstream"_s, 502) << PullNginx
                            << u"docker.io had a problem"_s << u"Try again in a few minutes"_s
                            << QList<Action>{Action::Retry} << u"upstream"_s;
    QTest::newRow("protocol") << error(K::Protocol, u"not JSON"_s) << PullNginx
                              << u"docker.io answered something a registry does not answer"_s
                              << u"address of docker.io in Settings"_s
                              << QList<Action>{Action::OpenSettings, Action::Retry} << u"JSON"_s;
    QTest::newRow("digest mismatch")
        << error(K::DigestMismatch, u"sha256:abc does not match"_s) << PullNginx
        << u"What Berth received for nginx:1.99 does not match its digest"_s << u"damaged"_s
        << QList<Action>{Action::Retry} << u"sha256:abc"_s;
    QTest::newRow("io") << error(K::Io, u"Could not write '/data/x.tar': Read-only file system"_s)
                        << context(Op::Save, u"busybox:1.36"_s, {}, u"/data/x.tar"_s)
                        << u"Could not write '/data/x.tar'"_s << u"free space"_s
                        << QList<Action>{Action::Retry} << QString();
    QTest::newRow("keychain") << error(K::Keychain, u"The keychain is locked."_s) << ErrorContext()
                              << u"The keychain is locked."_s << u"Unlock the system keychain"_s
                              << QList<Action>{Action::Retry} << QString();
    QTest::newRow("unsupported") << error(K::Unsupported,
                                          u"Berth does not read Docker schema 1 manifests."_s)
                                 << PullNginx << u"schema 1"_s << u"Berth cannot do this"_s
                                 << QList<Action>{} << QString();
    QTest::newRow("cancelled") << error(K::Cancelled, u"Cancelled."_s) << PullNginx
                               << u"Cancelled."_s << QString() << QList<Action>{Action::Retry}
                               << QString();
    QTest::newRow("registry quoted")
        << error(K::Denied,
                 u"Access to me/app was denied by docker.io. "_s
                     + Berth::tr("The registry said: %1").arg(u"requested access is denied"_s),
                 403)
        << context(Op::Push, u"me/app:1"_s, u"docker.io"_s) << u"refused access to me/app:1"_s
        << u"log in to docker.io"_s << QList<Action>{Action::LogIn, Action::Retry}
        << u"requested access"_s;

    // What Docker and Podman say.
    QTest::newRow("docker conflict")
        << engine(K::Denied,
                  u"conflict: unable to delete 0123456789ab (must be forced) - image is being used "
                  "by stopped container 89abcdef01234567"_s,
                  409)
        << removeBusybox << u"89abcdef0123, so it was not removed"_s
        << u"Remove the containers that use it first"_s << QList<Action>{Action::ShowContainers}
        << u"must be forced"_s;
    ErrorContext named = removeBusybox;
    named.containers = {u"web"_s, u"db"_s};
    QTest::newRow("docker conflict, containers named")
        << engine(K::Denied,
                  u"conflict: unable to remove repository reference \"busybox:1.36\" (must force) "
                  "- container 0123456789ab is using its referenced image fedcba987654"_s,
                  409)
        << named << u"web, db, so it was not removed"_s << u"Remove"_s
        << QList<Action>{Action::ShowContainers} << u"must force"_s;
    QTest::newRow("podman in use")
        << engine(K::Denied,
                  u"image used by 0123456789abcdef: image is in use by a container: consider "
                  "listing external containers and force-removing image"_s,
                  409)
        << removeBusybox << u"0123456789ab, so it was not removed"_s << u"Remove"_s
        << QList<Action>{Action::ShowContainers} << u"force-removing"_s;
    QTest::newRow("no such image")
        << engine(K::NotFound, u"No such image: busybox:1.36"_s, 404) << removeBusybox
        << u"The container engine has no image busybox:1.36"_s << u"Refresh the Images page"_s
        << QList<Action>{} << u"No such image"_s;
    QTest::newRow("podman image not known")
        << engine(K::NotFound, u"busybox:1.36: image not known"_s, 404) << removeBusybox
        << u"no image busybox:1.36"_s << u"Refresh"_s << QList<Action>{} << u"not known"_s;
    QTest::newRow("manifest unknown")
        << engine(K::NotFound,
                  u"manifest for nginx:1.99 not found: manifest unknown: manifest unknown"_s)
        << PullNginx << u"docker.io has no image nginx:1.99"_s << u"Check the tag"_s
        << QList<Action>{} << u"manifest unknown"_s;
    QTest::newRow("engine unauthorized")
        << engine(K::Server,
                  u"Head \"https://127.0.0.1:5000/v2/me/app/manifests/1\": unauthorized: "
                  "authentication required"_s)
        << context(Op::Pull, u"127.0.0.1:5000/me/app:1"_s, u"127.0.0.1:5000"_s)
        << u"127.0.0.1:5000 asks you to log in"_s << u"Log in to 127.0.0.1:5000"_s
        << QList<Action>{Action::LogIn, Action::Retry} << u"Head"_s;
    QTest::newRow("engine denied")
        << engine(K::Server, u"denied: requested access to the resource is denied"_s)
        << context(Op::Push, u"me/app:1"_s, u"docker.io"_s) << u"docker.io refused access"_s
        << u"log in"_s << QList<Action>{Action::LogIn, Action::Retry} << u"resource"_s;
    QTest::newRow("engine toomanyrequests")
        << engine(K::Server,
                  u"toomanyrequests: You have reached your pull rate limit. You may increase the "
                  "limit by authenticating and upgrading"_s)
        << PullNginx << u"limits how many requests"_s << u"log in to docker.io"_s
        << QList<Action>{Action::LogIn, Action::Retry} << u"upgrading"_s;
    QTest::newRow("engine unreachable")
        << error(K::Network,
                 Berth::tr("Cannot talk to the container engine at %1: %2")
                     .arg(u"unix:///var/run/docker.sock"_s, u"Couldn't connect to server"_s))
        << PullNginx << u"cannot reach the container engine"_s << u"Start Docker or Podman"_s
        << QList<Action>{Action::OpenSettings, Action::Retry} << u"Couldn't"_s;
    QTest::newRow("registry connection refused")
        << engine(K::Server,
                  u"Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: "
                  "connection refused"_s)
        << context(Op::Pull, u"127.0.0.1:5999/a:1"_s, u"127.0.0.1:5999"_s)
        << u"could not reach 127.0.0.1:5999"_s << u"is running"_s << QList<Action>{Action::Retry}
        << u"dial tcp"_s;
    QTest::newRow("no space left")
        << engine(K::Server, u"write /var/lib/docker/tmp/x: no space left on device"_s) << PullNginx
        << u"The disk is full: nginx:1.99"_s << u"Free some space"_s << QList<Action>{Action::Retry}
        << u"/var/lib"_s;
    QTest::newRow("socket permission")
        << error(K::Network,
                 Berth::tr("Cannot talk to the container engine at %1: %2")
                     .arg(u"unix:///var/run/docker.sock"_s,
                          u"Failed to connect to /var/run/docker.sock: Permission denied"_s))
        << ErrorContext() << u"not allowed to use the container engine's socket"_s
        << u"docker group"_s << QList<Action>{Action::OpenSettings} << u"Failed to connect"_s;
    QTest::newRow("x509") << engine(
        K::Server,
        u"Get \"https://reg.example/v2/\": x509: certificate signed by unknown "
        "authority"_s) << context(Op::Pull, u"reg.example/a:1"_s, u"reg.example"_s)
                          << u"secure connection to reg.example failed"_s << u"plain HTTP"_s
                          << QList<Action>{Action::OpenSettings, Action::Retry} << u"x509"_s;
    QTest::newRow("engine load of a filesystem tar")
        << error(K::NotFound,
                 Berth::tr("The engine could not load the archive: %1")
                     .arg(u"open /var/lib/docker/tmp/docker-import-1234/bin/json: no such file or "
                          "directory"_s))
        << loadRootfs << u"'rootfs.tar' looks like a filesystem archive (from docker export)"_s
        << u"Import it as a new image instead?"_s << QList<Action>{Action::Import}
        << u"docker-import"_s;
    QTest::newRow("podman load of a filesystem tar")
        << engine(K::Server,
                  u"failed to load image: payload does not match any of the supported image "
                  "formats:\n * oci: initializing source oci:/tmp/api_load.tar1:: open "
                  "/tmp/api_load.tar1/index.json: not a directory"_s)
        << loadRootfs << u"'rootfs.tar' is not an image archive the engine can read"_s
        << u"Import it as a new image instead?"_s << QList<Action>{Action::Import} << u"payload"_s;
    QTest::newRow("filesystem archive")
        << filesystemArchiveError(u"/home/me/rootfs.tar"_s) << loadRootfs
        << u"'rootfs.tar' is a filesystem archive (from docker export), not an image archive."_s
        << u"Import it as a new image instead?"_s << QList<Action>{Action::Import} << QString();
    QTest::newRow("unknown engine text")
        << engine(K::Server, u"runtime: goroutine stack exceeds 1000000000-byte limit"_s)
        << context(Op::Push, u"me/app:1"_s, u"docker.io"_s)
        << u"The container engine could not finish with me/app:1"_s << u"Copy Details"_s
        << QList<Action>{Action::Retry} << u"goroutine"_s;
}

void tst_ErrorAdvice::explain()
{
    QFETCH(Error, error);
    QFETCH(ErrorContext, context);
    QFETCH(QString, sentence);
    QFETCH(QString, advice);
    QFETCH(QList<Action>, actions);
    QFETCH(QString, hidden);
    const ErrorAdvice a = ErrorAdvice::explain(error, context);
    QVERIFY2(a.sentence.contains(sentence), qPrintable(a.sentence));
    if (advice.isEmpty())
        QVERIFY2(a.advice.isEmpty(), qPrintable(a.advice));
    else
        QVERIFY2(a.advice.contains(advice), qPrintable(a.advice));
    QCOMPARE(a.actions, actions);
    if (!hidden.isEmpty()) {
        QVERIFY2(!a.text().contains(hidden), qPrintable(a.text()));
        QVERIFY2(error.message.contains(hidden), "the row hides what the error does not hold");
    }
    // The raw text is kept whole for bug reports.
    QCOMPARE(a.details, error.message);
    QCOMPARE(a.text(), advice.isEmpty() ? a.sentence : a.sentence + u'\n' + a.advice);
}

void tst_ErrorAdvice::everyKindHasWords()
{
    // Whatever the kind and however bare the error, there is a sentence; a failure has advice.
    for (int k = int(Error::Kind::InvalidArgument); k <= int(Error::Kind::Cancelled); ++k) {
        const auto kind = Error::Kind(k);
        for (const Op op : {Op::Other, Op::Pull, Op::Load, Op::Remove}) {
            ErrorContext c;
            c.operation = op;
            const ErrorAdvice a = ErrorAdvice::explain(Error::make(kind, QString()), c);
            QVERIFY2(!a.sentence.trimmed().isEmpty(), qPrintable(errorKindName(kind)));
            QVERIFY2(kind == Error::Kind::Cancelled || !a.advice.isEmpty(),
                     qPrintable(errorKindName(kind)));
        }
    }
}

void tst_ErrorAdvice::actions_data()
{
    QTest::addColumn<Action>("action");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("icon");
    QTest::newRow("retry") << Action::Retry << u"Try Again"_s << u"view-refresh"_s;
    QTest::newRow("log in") << Action::LogIn << u"Log In…"_s << u"dialog-password"_s;
    QTest::newRow("settings") << Action::OpenSettings << u"Open Settings…"_s << u"configure"_s;
    QTest::newRow("containers") << Action::ShowContainers << u"Show Containers"_s
                                << u"view-list-details"_s;
    QTest::newRow("import") << Action::Import << u"Import…"_s << u"document-import"_s;
}

void tst_ErrorAdvice::actions()
{
    QFETCH(Action, action);
    QFETCH(QString, text);
    QFETCH(QString, icon);
    QObject owner;
    QAction *a = ErrorAdvice::makeAction(action, &owner);
    QCOMPARE(a->parent(), &owner);
    QCOMPARE(a->text(), text);
    QCOMPARE(ErrorAdvice::actionIconName(action), icon);
    QCOMPARE(a->objectName(), ErrorAdvice::actionObjectName(action));
    QVERIFY(!a->objectName().isEmpty());
}

QTEST_MAIN(tst_ErrorAdvice)
#include "tst_erroradvice.moc"
