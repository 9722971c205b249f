// What registries.conf answers for a repository: the rule that matches it, and where a pull or a
// push goes, as containers/image's sysregistriesv2 decides.
#include "registriesconf.h"
#include "registrieslocation.h"

namespace Berth {

namespace {

// The registry's host without its port: a wildcard speaks of host names only, so
// "*.corp.example" covers "r.corp.example:5000" too (as containers/image matches it).
QString hostOf(const QString &registry)
{
    const qsizetype colon = registry.lastIndexOf(u':');
    return colon > 0 && !registry.endsWith(u']') ? registry.left(colon) : registry;
}

// A prefix matches the repository itself or what lies under it at a '/' boundary; a wildcard
// prefix ("*.example.com") matches hosts under that domain, never the domain itself.
bool matches(const RegistryRule &rule, const QString &repository)
{
    if (rule.isWildcard())
        return hostOf(registryOf(repository)).endsWith(rule.prefix.mid(1));
    return repository == rule.prefix
           || (repository.startsWith(rule.prefix) && repository.at(rule.prefix.size()) == u'/');
}

// What of the repository the rule replaces: the prefix, or the host for a wildcard.
qsizetype matchedLength(const RegistryRule &rule, const QString &repository)
{
    return rule.isWildcard() ? hostOf(registryOf(repository)).size() : rule.prefix.size();
}

PullSource sourceAt(const QString &rewritten, bool insecure, bool mirror)
{
    PullSource source;
    source.registry = registryOf(rewritten);
    source.repository = rewritten.mid(source.registry.size() + 1);
    source.insecure = insecure;
    source.mirror = mirror;
    return source;
}

QString rewrite(const RegistryRule &rule, const QString &location, const QString &repository)
{
    if (location.isEmpty())
        return repository;
    return location + repository.mid(matchedLength(rule, repository));
}

bool mirrorServes(const RegistryRule &rule, const RegistryMirror &mirror, bool byDigest)
{
    if (rule.mirrorByDigestOnly)
        return byDigest;
    switch (mirror.pullFrom) {
    case PullFromMirror::DigestOnly:
        return byDigest;
    case PullFromMirror::TagOnly:
        return !byDigest;
    case PullFromMirror::All:
        break;
    }
    return true;
}

} // namespace

const RegistryRule *RegistriesConf::match(const QString &repository) const
{
    const RegistryRule *best = nullptr;
    for (const RegistryRule &rule : m_rules) {
        if (matches(rule, repository) && (!best || rule.prefix.size() > best->prefix.size()))
            best = &rule;
    }
    return best;
}

const RegistryRule *RegistriesConf::blockedBy(const QString &repository) const
{
    const RegistryRule *rule = match(repository);
    return rule && rule->blocked ? rule : nullptr;
}

QList<PullSource> RegistriesConf::pullSources(const QString &repository, bool byDigest) const
{
    const RegistryRule *rule = match(repository);
    if (!rule)
        return {sourceAt(repository, isInsecure(registryOf(repository)), false)};
    QList<PullSource> sources;
    for (const RegistryMirror &mirror : rule->mirrors) {
        if (mirrorServes(*rule, mirror, byDigest))
            sources.append(
                sourceAt(rewrite(*rule, mirror.location, repository), mirror.insecure, true));
    }
    sources.append(pushDestination(repository));
    return sources;
}

PullSource RegistriesConf::pushDestination(const QString &repository) const
{
    const RegistryRule *rule = match(repository);
    if (!rule)
        return sourceAt(repository, isInsecure(registryOf(repository)), false);
    return sourceAt(rewrite(*rule, rule->location, repository), rule->insecure, false);
}

bool RegistriesConf::isInsecure(const QString &registry) const
{
    for (const auto &[insecure, file] : insecureRegistries()) {
        if (insecure == registry)
            return true;
    }
    return false;
}

QList<std::pair<QString, QString>> RegistriesConf::insecureRegistries() const
{
    QList<std::pair<QString, QString>> registries;
    for (const RegistryRule &rule : m_rules) {
        if (rule.insecure && !rule.location.isEmpty())
            registries.append({registryOf(rule.location), rule.file});
        for (const RegistryMirror &mirror : rule.mirrors) {
            if (mirror.insecure)
                registries.append({registryOf(mirror.location), rule.file});
        }
    }
    return registries;
}

std::optional<QString> RegistriesConf::alias(const QString &shortName) const
{
    const auto it = m_aliases.constFind(shortName);
    if (it == m_aliases.constEnd())
        return std::nullopt;
    return it.value();
}

bool RegistriesConf::isShortName(QStringView name)
{
    const qsizetype slash = name.indexOf(u'/');
    if (slash < 0)
        return true;
    const QStringView first = name.left(slash);
    return !first.contains(u'.') && !first.contains(u':') && first != u"localhost";
}

QStringList RegistriesConf::shortNameCandidates(const QString &name) const
{
    if (!isShortName(name) || !searchRegistriesConfigured())
        return {};
    // The name without its tag or digest is what aliases name.
    qsizetype end = name.indexOf(u'@');
    if (end < 0)
        end = name.size();
    const qsizetype colon = name.lastIndexOf(u':', end - 1);
    const QString bare = name.left(colon > name.lastIndexOf(u'/') ? colon : end);
    const QString suffix = name.mid(bare.size());
    if (const auto target = alias(bare))
        return {*target + suffix};
    QStringList candidates;
    for (const QString &registry : m_search)
        candidates.append(registry + u'/' + name);
    return candidates;
}

} // namespace Berth
