#include "clicontext.h"
#include "commands.h"
#include "terminal.h"

#include "credentials/credentialstore.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

QString serverArgument(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    return positional.isEmpty() ? ImageReference::dockerHubDomain()
                                : ImageReference::normalizeRegistry(positional.first());
}

int listAccounts(Context &context)
{
    const QList<CredentialStore::Account> accounts = context.credentials().accounts();
    if (context.json()) {
        QJsonArray array;
        for (const auto &a : accounts)
            array.append(QJsonObject{{QStringLiteral("registry"), a.registry},
                                     {QStringLiteral("username"), a.username},
                                     {QStringLiteral("sessionOnly"),
                                      a.remember == CredentialStore::Remember::SessionOnly},
                                     {QStringLiteral("dockerCli"), a.dockerCli}});
        context.printJson(QJsonDocument(QJsonObject{{QStringLiteral("accounts"), array}}));
        return Success;
    }
    QList<QStringList> rows;
    for (const auto &a : accounts)
        rows.append({a.registry, a.username, a.dockerCli ? tr("yes") : tr("no")});
    printTable(context.out(), {tr("REGISTRY"), tr("USERNAME"), tr("DOCKER CLI")}, rows);
    return Success;
}

} // namespace

int loginCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Log in to a registry (Docker Hub by default). The password is checked against the "
           "registry, then kept in the system keychain, never in a file."));
    parser.addPositionalArgument(QStringLiteral("server"),
                                 tr("Registry, e.g. docker.io, ghcr.io, localhost:5000."),
                                 QStringLiteral("[server]"));
    parser.addOption({{QStringLiteral("u"), QStringLiteral("username")},
                      tr("User name."),
                      QStringLiteral("user")});
    parser.addOption({QStringLiteral("password-stdin"),
                      tr("Read the password or access token from standard input.")});
    parser.addOption({{QStringLiteral("p"), QStringLiteral("password")},
                      tr("Refused: a password on the command line is visible to every user. Use "
                         "--password-stdin."),
                      QStringLiteral("password")});
    parser.addOption({QStringLiteral("docker-cli"),
                      tr("Also log the docker CLI in, through its credential helper.")});
    parser.addOption(
        {QStringLiteral("allow-plaintext-docker-config"),
         tr("With --docker-cli and no credential helper configured: write the login to "
            "~/.docker/config.json as base64, which anyone reading the file can decode.")});
    parser.addOption(
        {QStringLiteral("list"), tr("List the registries Berth has logins for (no secrets).")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.isSet(QStringLiteral("list")))
        return listAccounts(context);
    if (parser.isSet(QStringLiteral("password")))
        return context.usage(
            tr("--password is refused: a password in the command line is visible to "
               "other users and lands in shell history. Use --password-stdin."));
    if (parser.positionalArguments().size() > 1)
        return context.usage(tr("login takes at most one server"));
    const QString registry = serverArgument(parser);
    if (registry.isEmpty())
        return context.usage(tr("invalid server '%1'").arg(parser.positionalArguments().value(0)));

    Credential credential;
    credential.username = parser.value(QStringLiteral("username"));
    if (parser.isSet(QStringLiteral("password-stdin"))) {
        if (credential.username.isEmpty())
            return context.usage(tr("--password-stdin needs --username"));
        credential.secret = readStdinSecret();
    } else if (stdinIsTerminal()) {
        if (credential.username.isEmpty())
            credential.username = prompt(tr("Username: "), false).trimmed();
        credential.secret = prompt(tr("Password: "), true);
    } else {
        return context.usage(
            tr("no terminal to ask the password on: use --username and --password-stdin"));
    }
    if (credential.username.isEmpty() || credential.secret.isEmpty())
        return context.usage(tr("a user name and a password (or access token) are required"));

    const auto verified = context.wait<void>(
        [&](auto done) { context.registry().verifyLogin(registry, credential, done); });
    if (!verified)
        return context.report(verified.error());

    CredentialStore::StoreOptions options;
    options.alsoDockerCli = parser.isSet(QStringLiteral("docker-cli"));
    options.allowPlainTextDockerConfig
        = parser.isSet(QStringLiteral("allow-plaintext-docker-config"));
    const auto stored = context.wait<void>(
        [&](auto done) { context.credentials().storeLogin(registry, credential, options, done); });
    if (!stored)
        return context.report(stored.error());
    context.err() << tr("Login Succeeded") << Qt::endl;
    return Success;
}

int logoutCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Log out of a registry: forget its login in the keychain, and "
           "with --docker-cli in docker's credential store and config.json too."));
    parser.addPositionalArgument(
        QStringLiteral("server"), tr("Registry (default docker.io)."), QStringLiteral("[server]"));
    parser.addOption({QStringLiteral("docker-cli"), tr("Also log the docker CLI out.")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() > 1)
        return context.usage(tr("logout takes at most one server"));
    const QString registry = serverArgument(parser);
    const auto removed = context.wait<void>([&](auto done) {
        context.credentials().logout(registry, parser.isSet(QStringLiteral("docker-cli")), done);
    });
    if (!removed)
        return context.report(removed.error());
    context.err() << tr("Removing login credentials for %1").arg(registry) << Qt::endl;
    return Success;
}

} // namespace Berth::Cli
