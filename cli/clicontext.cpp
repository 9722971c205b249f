#include "clicontext.h"
#include "formattemplate.h"
#include "registriesconfnotes.h"
#include "terminaltext.h"

#include "credentials/credentialstore.h"
#include "credentials/networksetup.h"
#include "network/networkaccess.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/registrysettings.h"
#include "store/backendfactory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QSettings>
#include <QThread>

#include <chrono>
#include <cstdio>

namespace Berth::Cli {

namespace {

bool qtNetworkThreadRunning()
{
    // Qt names the thread "QNetworkAccessManager thread"; Linux keeps 15 bytes of it.
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("QNetworkAccessM"))
            return true;
    }
    return false;
}

// Qt 6.4's QNetworkAccessManager waits 5 s for its HTTP thread, then leaves it running unjoined.
// In CI, beside fsync-heavy tests, that thread was still tearing its connections down when main()
// returned: ASan saw a double free in it and the process hung. The static destructors wait here.
void waitForQtNetworkThread(std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (qtNetworkThreadRunning() && std::chrono::steady_clock::now() < deadline)
        QThread::msleep(10);
}

} // namespace

Context::Context()
    : m_out(stdout)
    , m_err(stderr)
    , m_network(std::make_unique<NetworkAccessManager>())
{
    m_network->setAutoDeleteReplies(false);
}

Context::~Context()
{
    m_out.flush();
    m_err.flush();
    // The clients go first, then the replies they handed to deleteLater() from inside wait()'s
    // loop, which no loop runs again: only then the manager, whose destructor joins its HTTP
    // thread. A reply still alive at that point makes the thread tear its connection down while
    // main() returns and runs the static destructors.
    m_backend.reset();
    m_hub.reset();
    m_registry.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    m_network.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    waitForQtNetworkThread(std::chrono::seconds(60));
}

void Context::addCommonOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("format"),
                      tr("Output format: 'text' (default) or 'json'."),
                      QStringLiteral("format"),
                      QStringLiteral("text")});
    parser.addOption({QStringLiteral("insecure-registry"),
                      tr("Allow plain HTTP and unverified TLS for this registry (repeatable). "
                         "localhost and 127.0.0.0/8 are always allowed."),
                      QStringLiteral("registry")});
    parser.addOption(
        {QStringLiteral("hub-url"),
         tr("Docker Hub web API base URL (default: $BERTH_HUB_URL or https://hub.docker.com)."),
         QStringLiteral("url")});
    parser.addHelpOption();
}

bool Context::applyCommonOptions(const QCommandLineParser &parser)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (m_acceptTemplates && isFormatTemplate(format)) {
        m_template = format;
    } else if (format != u"text" && format != u"json") {
        usage(m_acceptTemplates ? tr("unknown format '%1': use 'text', 'json' or a template "
                                     "such as '{{.Repository}}:{{.Tag}}'")
                                      .arg(format)
                                : tr("unknown format '%1': use 'text' or 'json'").arg(format));
        return false;
    }
    m_json = format == u"json";
    applyNetworkSettings();
    m_insecure = parser.values(QStringLiteral("insecure-registry"));
    // The registries the user marked "allow plain HTTP" in the app's settings count too, so
    // berthctl reaches what Berth reaches.
    QSettings settings;
    m_insecure << RegistrySettings::insecureHosts(RegistrySettings::load(settings));
    if (parser.isSet(QStringLiteral("hub-url"))) {
        const QUrl url(parser.value(QStringLiteral("hub-url")));
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")) {
            usage(tr("invalid --hub-url '%1': expected an http(s) URL")
                      .arg(parser.value(QStringLiteral("hub-url"))));
            return false;
        }
        hub().setBaseUrl(url);
    }
    if (m_registry)
        m_registry->setInsecureRegistries(m_insecure);
    return true;
}

// The proxy Settings → Network chose (with its password from the keychain), certs.d and
// registries.conf: berthctl reaches the network as the app does.
void Context::applyNetworkSettings()
{
    const Result<std::monostate> installed = wait<std::monostate>([](auto done) {
        installNetworkPolicyFromSettings([done](Status s) {
            if (s)
                done(std::monostate{});
            else
                done(std::unexpected(s.error()));
        });
    });
    if (!installed)
        m_err << tr("warning: %1").arg(installed.error().message) << Qt::endl;
}

std::optional<int> Context::parse(QCommandLineParser &parser, const QStringList &arguments)
{
    addCommonOptions(parser);
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printHelp(parser, arguments.value(0));
        return int(Success);
    }
    if (!applyCommonOptions(parser))
        return int(UsageError);
    return std::nullopt;
}

void Context::printHelp(const QCommandLineParser &parser, const QString &program)
{
    QString text = parser.helpText();
    // QCommandLineParser names the program after argv[0] on the usage line, its first.
    const QString binary = QCoreApplication::arguments().value(0);
    const qsizetype lineEnd = text.indexOf(u'\n');
    const qsizetype at = text.indexOf(binary);
    if (!program.isEmpty() && !binary.isEmpty() && at >= 0 && (lineEnd < 0 || at < lineEnd))
        text.replace(at, binary.size(), program);
    m_out << text;
    m_out.flush();
}

void Context::addBackendOption(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("backend"),
         tr("Where images live: auto (an engine if one answers, else the embedded store), "
            "docker, podman or embedded. Default: $BERTH_BACKEND, else auto."),
         QStringLiteral("backend")});
}

Result<ImageBackend *> Context::backend(const QCommandLineParser &parser)
{
    if (m_backend)
        return m_backend.get();
    QString name = parser.value(QStringLiteral("backend"));
    if (name.isEmpty())
        name = qEnvironmentVariable("BERTH_BACKEND", QStringLiteral("auto"));
    const auto choice = parseBackendChoice(name);
    if (!choice)
        return fail(choice.error());
    BackendDependencies dependencies;
    dependencies.registry = &registry();
    dependencies.credentials = &credentials();
    // The store folder chosen in Berth's Settings: berthctl lists what the app shows.
    dependencies.storePath = configuredStorePath(QSettings());
    auto opened = wait<std::unique_ptr<ImageBackend>>(
        [&](auto done) { openBackend(*choice, dependencies, done); });
    if (!opened)
        return fail(opened.error());
    m_backend = std::move(*opened);
    return m_backend.get();
}

RegistryClient &Context::registry()
{
    if (!m_registry) {
        m_registry = std::make_unique<RegistryClient>(m_network.get());
        m_registry->setInsecureRegistries(m_insecure);
        m_registry->setCredentialProvider(&credentials());
        followRegistriesConf(*m_registry, m_err);
    }
    return *m_registry;
}

HubClient &Context::hub()
{
    if (!m_hub)
        m_hub = std::make_unique<HubClient>(m_network.get());
    return *m_hub;
}

CredentialStore &Context::credentials()
{
    if (!m_credentials)
        m_credentials = std::make_unique<CredentialStore>();
    return *m_credentials;
}

int Context::report(const Error &error)
{
    if (error.isCancelled())
        return Failed;
    if (m_json) {
        QJsonObject e{{QStringLiteral("kind"), errorKindName(error.kind)},
                      {QStringLiteral("message"), error.message}};
        if (error.httpStatus)
            e.insert(QStringLiteral("httpStatus"), error.httpStatus);
        if (!error.code.isEmpty())
            e.insert(QStringLiteral("code"), error.code);
        if (error.retryAfter)
            e.insert(QStringLiteral("retryAfter"), qint64(error.retryAfter->count()));
        m_err << terminalSafeJson(
            QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Compact))
              << '\n';
    } else {
        // Messages quote what servers and engines said.
        m_err << tr("Error: %1").arg(terminalSafe(error.message)) << Qt::endl;
    }
    m_err.flush();
    return Failed;
}

int Context::usage(const QString &message)
{
    m_err << tr("berthctl: %1").arg(terminalSafe(message)) << Qt::endl
          << tr("Run 'berthctl --help' for usage.") << Qt::endl;
    return UsageError;
}

void Context::printJson(const QJsonDocument &doc)
{
    m_out << terminalSafeJson(doc.toJson(QJsonDocument::Indented));
    m_out.flush();
}

} // namespace Berth::Cli
