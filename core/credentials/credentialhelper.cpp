#include "credentialhelper.h"
#include "secretbytes.h"

#include "common/logging.h"
#include "credentials/dockerconfig.h"
#include "reference/imagereference.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

namespace Berth {

namespace {

// Error codes run() puts in Error::code so the verbs can tell these cases from real failures.
const QString NotInstalledCode = QStringLiteral("HELPER_NOT_INSTALLED");
const QString CredentialsNotFoundCode = QStringLiteral("CREDENTIALS_NOT_FOUND");

// docker-credential-helpers answers a missing login with ErrCredentialsNotFound's text; the pass
// helper's erase passes on pass's own message instead.
bool isNotFoundMessage(const QString &output)
{
    return output.contains(u"credentials not found", Qt::CaseInsensitive)
           || output.contains(u"is not in the password store", Qt::CaseInsensitive);
}

// The helper's message, for an error shown to the user: short, one line, and without the secret
// should a helper ever echo its input.
QString helperMessage(const QByteArray &standardOutput,
                      const QByteArray &standardError,
                      const QString &secret)
{
    QString message = QString::fromUtf8(standardOutput).trimmed();
    if (message.isEmpty())
        message = QString::fromUtf8(standardError).trimmed();
    message = message.section(u'\n', 0, 0).left(300);
    if (!secret.isEmpty())
        message.replace(secret, QStringLiteral("••••"));
    return message;
}

bool validSuffix(const QString &suffix)
{
    // The suffix comes from a file the user (or a tool) wrote: it must name a program in PATH,
    // never a path to one.
    return !suffix.isEmpty() && !suffix.contains(u'/') && !suffix.contains(u'\\') && suffix != u"."
           && suffix != u"..";
}

// What the helper's exit says: its output, or why it failed.
Result<QByteArray> exitResult(const QString &name,
                              const QString &verb,
                              const QString &secretToScrub,
                              int exitCode,
                              QProcess::ExitStatus status,
                              const QByteArray &out,
                              const QByteArray &err)
{
    if (status == QProcess::CrashExit)
        return fail(Error::Kind::Keychain,
                    Berth::tr("The docker credential helper “%1” crashed.").arg(name));
    if (exitCode == 0)
        return out;
    const QString message = helperMessage(out, err, secretToScrub);
    qCDebug(lcCredentials) << name << verb << "exited with" << exitCode;
    Error error = Error::make(
        Error::Kind::Keychain,
        message.isEmpty()
            ? Berth::tr("The docker credential helper “%1” failed (exit code %2).")
                  .arg(name)
                  .arg(exitCode)
            : Berth::tr("The docker credential helper “%1” failed: %2").arg(name, message));
    if (isNotFoundMessage(message)) {
        error.kind = Error::Kind::NotFound;
        error.code = CredentialsNotFoundCode;
    }
    return fail(std::move(error));
}

Error notStartedError(const QString &name, const QString &why)
{
    Error error = Error::make(
        Error::Kind::NotFound,
        Berth::tr("The docker credential helper “%1” could not be started: %2").arg(name, why));
    error.code = NotInstalledCode;
    return error;
}

Error timeoutError(const QString &name, std::chrono::milliseconds timeout)
{
    return Error::make(
        Error::Kind::Keychain,
        Berth::tr("The docker credential helper “%1” did not answer within %2 seconds. It "
                  "may be waiting for a password prompt that cannot be shown.")
            .arg(name)
            .arg(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
}

} // namespace

CredentialHelper::CredentialHelper(const QString &suffix, QObject *parent)
    : QObject(parent)
    , m_suffix(suffix)
{}

CredentialHelper::~CredentialHelper()
{
    const auto processes = findChildren<QProcess *>(Qt::FindDirectChildrenOnly);
    for (QProcess *process : processes) {
        process->disconnect(this);
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
}

bool CredentialHelper::isNotInstalledError(const Error &error)
{
    return error.code == NotInstalledCode;
}

QString CredentialHelper::program() const
{
    return QStringLiteral("docker-credential-") + m_suffix;
}

bool CredentialHelper::isInstalled() const
{
    return validSuffix(m_suffix) && !QStandardPaths::findExecutable(program()).isEmpty();
}

Result<QString> CredentialHelper::findExecutable() const
{
    if (!validSuffix(m_suffix))
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("“%1” is not a valid docker credential helper name.").arg(m_suffix));
    const QString executable = QStandardPaths::findExecutable(program());
    if (executable.isEmpty()) {
        Error error
            = Error::make(Error::Kind::NotFound,
                          Berth::tr("The docker credential helper “%1” is not installed (it is "
                                    "not in PATH). Install it, or change “credsStore” or "
                                    "“credHelpers” in docker's config.json.")
                              .arg(program()));
        error.code = NotInstalledCode;
        return fail(std::move(error));
    }
    return executable;
}

void CredentialHelper::run(const QString &verb,
                           QByteArray input,
                           const QString &secretToScrub,
                           std::function<void(Result<QByteArray>)> done)
{
    const Result<QString> executable = findExecutable();
    if (!executable) {
        wipe(input);
        QMetaObject::invokeMethod(
            this, [done, error = executable.error()] { done(fail(error)); }, Qt::QueuedConnection);
        return;
    }
    startProcess(*executable, verb, input, secretToScrub, std::move(done));
    wipe(input);
}

void CredentialHelper::startProcess(const QString &executable,
                                    const QString &verb,
                                    const QByteArray &input,
                                    const QString &secretToScrub,
                                    std::function<void(Result<QByteArray>)> done)
{
    auto process = new QProcess(this);
    auto timer = new QTimer(process);
    timer->setSingleShot(true);
    // finished(), errorOccurred() and the timeout may each answer: the first one does.
    auto answered = std::make_shared<bool>(false);
    auto answer = [answered, timer, done = std::move(done)](Result<QByteArray> result) {
        if (*answered)
            return;
        *answered = true;
        timer->stop();
        done(std::move(result));
    };
    const QString name = program();

    connect(
        process,
        &QProcess::finished,
        this,
        [process, answer, name, verb, secretToScrub](int exitCode, QProcess::ExitStatus status) {
            process->deleteLater();
            answer(exitResult(name,
                              verb,
                              secretToScrub,
                              exitCode,
                              status,
                              process->readAllStandardOutput(),
                              process->readAllStandardError()));
        });
    connect(process,
            &QProcess::errorOccurred,
            this,
            [process, answer, name](QProcess::ProcessError processError) {
                // Every other error is followed by finished(), which answers.
                if (processError != QProcess::FailedToStart)
                    return;
                process->deleteLater();
                answer(fail(notStartedError(name, process->errorString())));
            });
    connect(timer, &QTimer::timeout, this, [this, process, answer, name] {
        qCWarning(lcCredentials) << name << "timed out, killing it";
        answer(fail(timeoutError(name, m_timeout)));
        // finished() follows the kill and deletes the process.
        process->kill();
    });

    qCDebug(lcCredentials) << "running" << name << verb;
    timer->start(m_timeout);
    process->setProgram(executable);
    process->setArguments({verb});
    process->start(QIODevice::ReadWrite);
    // A start that failed at once has already answered through errorOccurred.
    if (process->isOpen()) {
        process->write(input);
        process->closeWriteChannel();
    }
}

void CredentialHelper::get(const QString &serverUrl,
                           std::function<void(Result<std::optional<Credential>>)> done)
{
    const QString name = program();
    run(QStringLiteral("get"),
        serverUrl.toUtf8(),
        QString(),
        [done = std::move(done), name, serverUrl](Result<QByteArray> output) {
            if (!output) {
                if (output.error().code == CredentialsNotFoundCode) {
                    done(std::optional<Credential>());
                    return;
                }
                done(fail(output.error()));
                return;
            }
            const QJsonDocument document = QJsonDocument::fromJson(*output);
            wipe(*output);
            if (!document.isObject()) {
                done(fail(
                    Error::Kind::Protocol,
                    Berth::tr("The docker credential helper “%1” did not answer with a login for "
                              "%2.")
                        .arg(name, serverUrl)));
                return;
            }
            const QJsonObject object = document.object();
            Credential credential;
            credential.username = object.value(u"Username").toString();
            credential.secret = object.value(u"Secret").toString();
            // The pass helper answers an unknown server with an empty login and success.
            if (credential.username.isEmpty() && credential.secret.isEmpty()) {
                done(std::optional<Credential>());
                return;
            }
            if (credential.username == identityTokenUsername()) {
                credential.username.clear();
                credential.identityToken = true;
            }
            done(std::optional<Credential>(std::move(credential)));
        });
}

void CredentialHelper::store(const QString &serverUrl,
                             const Credential &credential,
                             std::function<void(Status)> done)
{
    const QJsonObject request{
        {QStringLiteral("ServerURL"), serverUrl},
        {QStringLiteral("Username"),
         credential.identityToken ? identityTokenUsername() : credential.username},
        {QStringLiteral("Secret"), credential.secret}};
    run(QStringLiteral("store"),
        QJsonDocument(request).toJson(QJsonDocument::Compact),
        credential.secret,
        [done = std::move(done)](Result<QByteArray> output) {
            if (!output) {
                done(fail(output.error()));
                return;
            }
            done({});
        });
}

void CredentialHelper::erase(const QString &serverUrl, std::function<void(Status)> done)
{
    run(QStringLiteral("erase"),
        serverUrl.toUtf8(),
        QString(),
        [done = std::move(done)](Result<QByteArray> output) {
            if (!output && output.error().code != CredentialsNotFoundCode) {
                done(fail(output.error()));
                return;
            }
            done({});
        });
}

void CredentialHelper::list(std::function<void(Result<QMap<QString, QString>>)> done)
{
    const QString name = program();
    run(QStringLiteral("list"),
        QByteArray(),
        QString(),
        [done = std::move(done), name](Result<QByteArray> output) {
            if (!output) {
                done(fail(output.error()));
                return;
            }
            const QJsonDocument document = QJsonDocument::fromJson(*output);
            if (!document.isObject()) {
                done(fail(
                    Error::Kind::Protocol,
                    Berth::tr("The docker credential helper “%1” answered “list” with something "
                              "that is not a list of logins.")
                        .arg(name)));
                return;
            }
            QMap<QString, QString> logins;
            const QJsonObject object = document.object();
            for (auto it = object.begin(); it != object.end(); ++it)
                logins.insert(it.key(), it.value().toString());
            done(logins);
        });
}

QStringList CredentialHelper::serverUrls(const QString &registry)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    if (normalized == ImageReference::dockerHubDomain())
        return {DockerConfig::serverKey(normalized)};
    return {normalized, QStringLiteral("https://") + normalized};
}

QStringList CredentialHelper::logoutServerUrls(const QString &registry)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    QStringList urls{normalized,
                     QStringLiteral("http://") + normalized,
                     QStringLiteral("https://") + normalized};
    const QString key = DockerConfig::serverKey(normalized);
    if (!urls.contains(key))
        urls.prepend(key);
    return urls;
}

void CredentialHelper::getFirst(QStringList urls,
                                std::function<void(Result<std::optional<Credential>>)> done)
{
    if (urls.isEmpty()) {
        done(std::optional<Credential>());
        return;
    }
    const QString url = urls.takeFirst();
    get(url, [this, urls, done](Result<std::optional<Credential>> result) {
        if (!result || *result) {
            done(std::move(result));
            return;
        }
        getFirst(urls, done);
    });
}

void CredentialHelper::getForRegistry(const QString &registry,
                                      std::function<void(Result<std::optional<Credential>>)> done)
{
    getFirst(serverUrls(registry), std::move(done));
}

void CredentialHelper::storeForRegistry(const QString &registry,
                                        const Credential &credential,
                                        std::function<void(Status)> done)
{
    store(DockerConfig::serverKey(registry), credential, std::move(done));
}

void CredentialHelper::eraseAll(QStringList urls, std::function<void(Status)> done)
{
    if (urls.isEmpty()) {
        done({});
        return;
    }
    const QString url = urls.takeFirst();
    erase(url, [this, urls, done](Status status) {
        // Keep erasing the other spellings: a logout that stops half-way forgets too little.
        eraseAll(urls, [status, done](Status rest) { done(status ? rest : status); });
    });
}

void CredentialHelper::eraseForRegistry(const QString &registry, std::function<void(Status)> done)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    list([this, normalized, done = std::move(done)](Result<QMap<QString, QString>> listed) {
        QStringList urls = logoutServerUrls(normalized);
        // Some helpers (ecr-login, gcloud) cannot list; the fixed spellings are then all we do.
        if (listed) {
            for (auto it = listed->cbegin(); it != listed->cend(); ++it) {
                if (ImageReference::normalizeRegistry(it.key()) == normalized
                    && !urls.contains(it.key())) {
                    urls.append(it.key());
                }
            }
        }
        eraseAll(urls, done);
    });
}

} // namespace Berth
