#include "registriesconfnotes.h"

#include "network/networkpolicy.h"
#include "registry/registryclient.h"
#include "terminaltext.h"

#include "common/result.h"

#include <memory>

namespace Berth::Cli {

namespace {

std::shared_ptr<const RegistriesConf> registriesConf()
{
    const auto policy = currentNetworkPolicy();
    return policy->registries ? policy->registries : std::make_shared<const RegistriesConf>();
}

} // namespace

void followRegistriesConf(RegistryClient &client, QTextStream &err)
{
    for (const RegistriesConfProblem &problem : client.registriesConf()->problems())
        err << tr("registries.conf: %1").arg(terminalSafe(problem.toString())) << '\n';
    err.flush();
    // Each manifest of an image says where it came from: what was said already is not repeated.
    auto said = std::make_shared<QStringList>();
    QObject::connect(&client,
                     &RegistryClient::pullSourceReport,
                     &client,
                     [&err, said](const QString &, const QString &message) {
                         for (const QString &before : std::as_const(*said)) {
                             if (before.contains(message, Qt::CaseInsensitive))
                                 return;
                         }
                         said->append(message);
                         err << terminalSafe(message) << '\n';
                         err.flush();
                     });
}

QStringList namesToTry(const QString &typed)
{
    const QStringList candidates = registriesConf()->shortNameCandidates(typed);
    return candidates.isEmpty() ? QStringList{typed} : candidates;
}

QString shortNameNote(const QString &typed, const QString &name)
{
    if (typed == name)
        return {};
    const auto conf = registriesConf();
    qsizetype end = typed.indexOf(u'@');
    const QString bare = typed.left(end < 0 ? typed.size() : end).section(u':', 0, 0);
    const QString file = conf->alias(bare) ? conf->aliasFile(bare) : conf->searchRegistriesFile();
    const QString why
        = conf->alias(bare)
              ? tr("an alias in %1").arg(file)
              : QCoreApplication::translate("Berth::Cli", "unqualified-search-registries in %1")
                    .arg(file);
    return tr("Resolved the short name %1 to %2 (%3).")
        .arg(terminalSafe(typed), terminalSafe(name), terminalSafe(why));
}

} // namespace Berth::Cli
