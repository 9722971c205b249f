#pragma once

#include "common/result.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <memory>
#include <optional>

namespace Berth {
class RegistryClient;
class HubClient;
class CredentialProvider;
class CredentialStore;
class ImageBackend;
} // namespace Berth

namespace Berth::Cli {

// berthctl's strings translate in the context "Berth::Cli", the one lupdate gives free functions of
// this namespace (core's Berth::tr() would look them up under "Berth" and never find them).
inline QString tr(const char *source, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("Berth::Cli", source, disambiguation, n);
}

enum ExitCode { Success = 0, Failed = 1, UsageError = 2 };

// What every verb shares: output streams, the format, the network clients, and a way to wait for
// an asynchronous core call (berthctl has no GUI to keep responsive, so it runs a local event
// loop).
class Context final
{
    Q_DECLARE_TR_FUNCTIONS(Berth::Cli)
public:
    Context();
    ~Context();

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    bool json() const { return m_json; }
    // A verb that prints rows (images) takes docker's --format '{{.Repository}}:{{.Tag}}' too
    // (formattemplate.h); it says so before the options are applied.
    void acceptFormatTemplates() { m_acceptTemplates = true; }
    QString formatTemplate() const { return m_template; }

    // Adds the options every verb takes (--format, --insecure-registry, --hub-url).
    static void addCommonOptions(QCommandLineParser &parser);
    // Applies them; false (with the message printed) on a bad value.
    bool applyCommonOptions(const QCommandLineParser &parser);

    RegistryClient &registry();
    HubClient &hub();
    // The accounts: Berth's keychain, then docker's and podman's logins. Every registry call uses
    // it.
    CredentialStore &credentials();

    // --backend auto|docker|podman|embedded (default: $BERTH_BACKEND, else auto).
    static void addBackendOption(QCommandLineParser &parser);
    // Opens (once) the backend the options name.
    Result<ImageBackend *> backend(const QCommandLineParser &parser);

    // Adds the common options, parses, prints --help, applies the options. An exit code when the
    // verb should stop here (help shown, usage error), nullopt to go on.
    std::optional<int> parse(QCommandLineParser &parser, const QStringList &arguments);

    // Prints the error on stderr (as one JSON line with --format json) and returns Failed.
    int report(const Error &error);
    int usage(const QString &message);
    void printJson(const QJsonDocument &doc);

    template<typename T, typename Start>
    Result<T> wait(Start &&start)
    {
        std::optional<Result<T>> result;
        QEventLoop loop;
        start([&](Result<T> r) {
            result = std::move(r);
            loop.quit();
        });
        if (!result)
            loop.exec();
        return std::move(*result);
    }

private:
    // Prints the verb's --help, its usage line naming `program` ("berthctl pull"), as docker's
    // does, where Qt's would name the binary's full path.
    void printHelp(const QCommandLineParser &parser, const QString &program);
    void applyNetworkSettings();

    QTextStream m_out;
    QTextStream m_err;
    bool m_json = false;
    bool m_acceptTemplates = false;
    QString m_template;
    QStringList m_insecure;
    std::unique_ptr<CredentialStore> m_credentials; // outlives the clients that point to it
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_registry;
    std::unique_ptr<HubClient> m_hub;
    std::unique_ptr<ImageBackend> m_backend;
};

} // namespace Berth::Cli
