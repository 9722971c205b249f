// Reading registries.conf files: which files podman would read, and each one's TOML (with
// toml++) turned into rules, search registries and aliases. A file or a value Berth cannot use
// becomes a problem naming the file (and the line when toml++ knows it); the rest is kept.
#include "registriesconf.h"

#include "common/result.h"
#include "registrieslocation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <toml++/toml.h>

#include <string>

namespace Berth {

namespace {

// A registries.conf is a few kB; podman's shortnames.conf, the largest in the wild, 30 kB.
constexpr qint64 MaxFileSize = 1024 * 1024;

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// One file being read: where its problems go.
struct FileReader
{
    QString file;
    QList<RegistriesConfProblem> &problems;

    void problem(const toml::node *node, const QString &message) const
    {
        problems.append({file, node ? int(node->source().begin.line) : 0, message});
    }

    std::optional<QString>
    string(const toml::table &table, std::string_view key, const QString &where) const
    {
        const toml::node *node = table.get(key);
        if (!node)
            return QString();
        if (const auto value = node->value<std::string>())
            return fromStd(*value);
        problem(node, Berth::tr("%1 %2 must be a string.").arg(where, fromStd(key)));
        return std::nullopt;
    }

    std::optional<bool>
    boolean(const toml::table &table, std::string_view key, const QString &where) const
    {
        const toml::node *node = table.get(key);
        if (!node)
            return false;
        if (const auto value = node->value<bool>())
            return *value;
        problem(node, Berth::tr("%1 %2 must be true or false.").arg(where, fromStd(key)));
        return std::nullopt;
    }
};

std::optional<PullFromMirror>
pullFromMirror(const FileReader &reader, const toml::table &table, const QString &where)
{
    const auto text = reader.string(table, "pull-from-mirror", where);
    if (!text)
        return std::nullopt;
    if (text->isEmpty() || *text == u"all")
        return PullFromMirror::All;
    if (*text == u"digest-only")
        return PullFromMirror::DigestOnly;
    if (*text == u"tag-only")
        return PullFromMirror::TagOnly;
    reader.problem(
        table.get("pull-from-mirror"),
        Berth::tr("%1 pull-from-mirror is '%2'; it must be all, digest-only or tag-only.")
            .arg(where, *text));
    return std::nullopt;
}

std::optional<RegistryMirror>
readMirror(const FileReader &reader, const toml::table &table, const QString &prefix)
{
    const QString where = Berth::tr("A mirror of %1:").arg(prefix);
    const auto location = reader.string(table, "location", where);
    const auto insecure = reader.boolean(table, "insecure", where);
    const auto pullFrom = pullFromMirror(reader, table, where);
    if (!location || !insecure || !pullFrom)
        return std::nullopt;
    if (location->isEmpty()) {
        reader.problem(&table, Berth::tr("%1 it has no location.").arg(where));
        return std::nullopt;
    }
    if (const QString why = locationProblem(*location); !why.isEmpty()) {
        reader.problem(table.get("location"), Berth::tr("%1 location %2").arg(where, why));
        return std::nullopt;
    }
    return RegistryMirror{*location, *insecure, *pullFrom};
}

QList<RegistryMirror>
readMirrors(const FileReader &reader, const toml::table &table, const QString &prefix)
{
    QList<RegistryMirror> mirrors;
    const toml::node *node = table.get("mirror");
    if (!node)
        return mirrors;
    const toml::array *array = node->as_array();
    if (!array) {
        reader.problem(
            node, Berth::tr("The mirrors of %1 must be [[registry.mirror]] tables.").arg(prefix));
        return mirrors;
    }
    for (const toml::node &entry : *array) {
        const toml::table *mirror = entry.as_table();
        if (!mirror) {
            reader.problem(&entry, Berth::tr("A mirror of %1 is not a table.").arg(prefix));
            continue;
        }
        if (auto m = readMirror(reader, *mirror, prefix))
            mirrors.append(*m);
    }
    return mirrors;
}

// The prefix and location of a rule, checked; nullopt (with a problem) when the rule is unusable.
std::optional<std::pair<QString, QString>> readPlace(const FileReader &reader,
                                                     const toml::table &table)
{
    const QString where = Berth::tr("A [[registry]]:");
    const auto prefix = reader.string(table, "prefix", where);
    const auto location = reader.string(table, "location", where);
    if (!prefix || !location)
        return std::nullopt;
    if (prefix->isEmpty() && location->isEmpty()) {
        reader.problem(&table, Berth::tr("A [[registry]] has neither a prefix nor a location."));
        return std::nullopt;
    }
    const QString effectivePrefix = prefix->isEmpty() ? *location : *prefix;
    if (const QString why = prefixProblem(effectivePrefix); !why.isEmpty()) {
        reader.problem(table.get(prefix->isEmpty() ? "location" : "prefix"),
                       Berth::tr("A [[registry]] prefix %1").arg(why));
        return std::nullopt;
    }
    if (const QString why = location->isEmpty() ? QString() : locationProblem(*location);
        !why.isEmpty()) {
        reader.problem(table.get("location"),
                       Berth::tr("The [[registry]] %1: location %2").arg(effectivePrefix, why));
        return std::nullopt;
    }
    const bool wildcard = effectivePrefix.startsWith(u"*.");
    return std::pair{effectivePrefix,
                     location->isEmpty() && !wildcard ? effectivePrefix : *location};
}

std::optional<RegistryRule> readRule(const FileReader &reader, const toml::table &table)
{
    const auto place = readPlace(reader, table);
    if (!place)
        return std::nullopt;
    RegistryRule rule;
    rule.prefix = place->first;
    rule.location = place->second;
    rule.file = reader.file;
    const QString where = Berth::tr("The [[registry]] %1:").arg(rule.prefix);
    const auto insecure = reader.boolean(table, "insecure", where);
    const auto blocked = reader.boolean(table, "blocked", where);
    const auto byDigest = reader.boolean(table, "mirror-by-digest-only", where);
    // A blocked registry stays blocked whatever else is wrong: a typo must not open it.
    rule.blocked = blocked.value_or(true);
    rule.insecure = insecure.value_or(false);
    rule.mirrorByDigestOnly = byDigest.value_or(true);
    rule.mirrors = readMirrors(reader, table, rule.prefix);
    return rule;
}

QList<RegistryRule> readRules(const FileReader &reader, const toml::table &root)
{
    QList<RegistryRule> rules;
    const toml::node *node = root.get("registry");
    if (!node)
        return rules;
    const toml::array *array = node->as_array();
    if (!array) {
        reader.problem(node, Berth::tr("registry must be a list of [[registry]] tables."));
        return rules;
    }
    for (const toml::node &entry : *array) {
        if (const toml::table *table = entry.as_table()) {
            if (auto rule = readRule(reader, *table))
                rules.append(*rule);
        } else {
            reader.problem(&entry, Berth::tr("A [[registry]] entry is not a table."));
        }
    }
    return rules;
}

std::optional<QStringList> readSearch(const FileReader &reader, const toml::table &root)
{
    const toml::node *node = root.get("unqualified-search-registries");
    if (!node)
        return std::nullopt;
    const toml::array *array = node->as_array();
    if (!array) {
        reader.problem(node,
                       Berth::tr("unqualified-search-registries must be a list of registries."));
        return std::nullopt;
    }
    QStringList registries;
    for (const toml::node &entry : *array) {
        const auto name = entry.value<std::string>();
        const QString why = name ? locationProblem(fromStd(*name)) : Berth::tr("is not a string.");
        if (!why.isEmpty())
            reader.problem(&entry,
                           Berth::tr("unqualified-search-registries: an entry %1").arg(why));
        else if (!fromStd(*name).contains(u'/'))
            registries.append(fromStd(*name));
        else
            reader.problem(
                &entry,
                Berth::tr("unqualified-search-registries: %1 is a repository, not a registry.")
                    .arg(fromStd(*name)));
    }
    return registries;
}

QMap<QString, QString> readAliases(const FileReader &reader, const toml::table &root)
{
    QMap<QString, QString> aliases;
    const toml::node *node = root.get("aliases");
    if (!node)
        return aliases;
    const toml::table *table = node->as_table();
    if (!table) {
        reader.problem(node, Berth::tr("aliases must be a table of short names."));
        return aliases;
    }
    for (const auto &[key, value] : *table) {
        const QString name = fromStd(key.str());
        const auto target = value.value<std::string>();
        // An empty value removes an alias an earlier file set, as podman does.
        const QString why = !target           ? Berth::tr("is not a string.")
                            : target->empty() ? QString()
                                              : locationProblem(fromStd(*target));
        if (why.isEmpty())
            aliases.insert(name, target ? fromStd(*target) : QString());
        else
            reader.problem(&value, Berth::tr("The alias %1 %2").arg(name, why));
    }
    return aliases;
}

std::optional<toml::table> parseFile(const FileReader &reader, QByteArrayView text)
{
    try {
        return toml::parse(std::string_view(text.data(), size_t(text.size())),
                           reader.file.toStdString());
    } catch (const toml::parse_error &e) {
        reader.problems.append({reader.file,
                                int(e.source().begin.line),
                                Berth::tr("not valid TOML: %1").arg(fromStd(e.description()))});
        return std::nullopt;
    }
}

} // namespace

QString RegistriesConfProblem::toString() const
{
    return line > 0 ? QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(message)
                    : QStringLiteral("%1: %2").arg(file, message);
}

QStringList
RegistriesConf::filesIn(const QString &override, const QString &systemDir, const QString &userDir)
{
    if (!override.isEmpty())
        return {override};
    QStringList files;
    const QString user = userDir + u"/registries.conf";
    const QString system = systemDir + u"/registries.conf";
    if (QFileInfo::exists(user))
        files.append(user);
    else if (QFileInfo::exists(system))
        files.append(system);
    for (const QString &dir : {systemDir, userDir}) {
        const QDir dropIns(dir + u"/registries.conf.d");
        for (const QString &name : dropIns.entryList(
                 {QStringLiteral("*.conf")}, QDir::Files | QDir::Readable, QDir::Name))
            files.append(dropIns.filePath(name));
    }
    return files;
}

QStringList RegistriesConf::defaultFiles()
{
    const QString config = qEnvironmentVariable("XDG_CONFIG_HOME", QDir::homePath() + u"/.config");
    return filesIn(qEnvironmentVariable("CONTAINERS_REGISTRIES_CONF"),
                   QStringLiteral("/etc/containers"),
                   config + u"/containers");
}

RegistriesConf RegistriesConf::load()
{
    return loadFiles(defaultFiles());
}

RegistriesConf RegistriesConf::loadFiles(const QStringList &files)
{
    RegistriesConf conf;
    for (const QString &file : files) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            conf.m_problems.append(
                {file, 0, Berth::tr("could not be read: %1").arg(f.errorString())});
            continue;
        }
        if (f.size() > MaxFileSize) {
            conf.m_problems.append(
                {file,
                 0,
                 Berth::tr("is larger than %1 bytes; Berth does not read it.").arg(MaxFileSize)});
            continue;
        }
        conf.merge(file, f.readAll());
    }
    return conf;
}

void RegistriesConf::merge(const QString &file, QByteArrayView text)
{
    m_filesRead.append(file);
    const FileReader reader{file, m_problems};
    const auto root = parseFile(reader, text);
    if (!root)
        return;
    if (root->contains("registries")) {
        reader.problem(
            root->get("registries"),
            Berth::tr("uses the version 1 format ([registries.search], [registries.insecure], "
                      "[registries.block]), which Berth does not read. Write it in version 2 "
                      "(unqualified-search-registries, [[registry]])."));
        return;
    }
    if (auto search = readSearch(reader, *root)) {
        m_search = *search;
        m_searchFile = file;
    }
    if (const auto mode = reader.string(*root, "short-name-mode", Berth::tr("short-name-mode:"));
        mode && !mode->isEmpty())
        m_shortNameMode = *mode;
    const QMap<QString, QString> aliases = readAliases(reader, *root);
    for (auto it = aliases.begin(); it != aliases.end(); ++it) {
        m_aliases.insert(it.key(), it.value());
        m_aliasFiles.insert(it.key(), file);
        if (it.value().isEmpty()) {
            m_aliases.remove(it.key());
            m_aliasFiles.remove(it.key());
        }
    }
    for (const RegistryRule &rule : readRules(reader, *root))
        mergeRegistry(rule);
}

void RegistriesConf::mergeRegistry(const RegistryRule &rule)
{
    for (RegistryRule &existing : m_rules) {
        if (existing.prefix == rule.prefix) {
            existing = rule;
            return;
        }
    }
    m_rules.append(rule);
}

} // namespace Berth
