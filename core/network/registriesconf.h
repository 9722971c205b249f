#pragma once

#include <QByteArrayView>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Berth {

// A file that could not be read, or a value in it Berth cannot use. line is 0 when the problem
// is not at one line (an unreadable file, a key whose value is wrong).
struct RegistriesConfProblem
{
    QString file;
    int line = 0;
    QString message;

    // "file:line: message", or "file: message"
    QString toString() const;
};

// When a mirror serves a pull: for every pull, only for pulls by digest, only for pulls by tag.
enum class PullFromMirror { All, DigestOnly, TagOnly };

struct RegistryMirror
{
    QString location; // "mirror.example.com", "127.0.0.1:5000/cache"
    bool insecure = false;
    PullFromMirror pullFrom = PullFromMirror::All;
};

// One [[registry]] table: references under prefix go to location instead, through its mirrors
// first for pulls.
struct RegistryRule
{
    QString prefix;   // "example.com/team", or "*.example.com" (matched against the host only)
    QString location; // empty for a wildcard prefix that does not rewrite
    bool insecure = false;
    bool blocked = false;
    bool mirrorByDigestOnly = false;
    QList<RegistryMirror> mirrors;
    QString file; // where the rule (as merged) came from

    bool isWildcard() const { return prefix.startsWith(u"*."); }
};

// One place to ask for an image: a mirror or the location, the repository rewritten for it.
struct PullSource
{
    QString registry;   // "127.0.0.1:5000", "docker.io"
    QString repository; // the path on that registry: "library/busybox"
    bool insecure = false;
    bool mirror = false;

    QString name() const { return registry + u'/' + repository; }
};

// containers-registries.conf(5), version 2, as podman merges its files. The version 1 format
// ([registries.search] and friends) is reported as unsupported, file by file.
//
// Repositories are given fully qualified and normalised, "domain/path" ("docker.io/library/node");
// the answers never touch the network.
class RegistriesConf
{
public:
    // CONTAINERS_REGISTRIES_CONF alone when set; else $HOME/.config/containers/registries.conf
    // when present, else /etc/containers/registries.conf; then registries.conf.d/*.conf in order.
    static QStringList defaultFiles();
    // The same choice with the places given: override (the variable's value, may be empty), the
    // system folder ("/etc/containers") and the user's ("~/.config/containers").
    static QStringList
    filesIn(const QString &override, const QString &systemDir, const QString &userDir);
    static RegistriesConf load();
    static RegistriesConf loadFiles(const QStringList &files);

    // Merges one file's text over what earlier files said: [[registry]] by prefix, the search
    // registries and short-name-mode replaced when set, aliases key by key. A file that does not
    // parse adds a problem and changes nothing.
    void merge(const QString &file, QByteArrayView text);

    QStringList filesRead() const { return m_filesRead; }
    QList<RegistriesConfProblem> problems() const { return m_problems; }
    QList<RegistryRule> rules() const { return m_rules; }

    // unqualified-search-registries; empty when no file sets it.
    QStringList searchRegistries() const { return m_search; }
    QString searchRegistriesFile() const { return m_searchFile; }
    bool searchRegistriesConfigured() const { return !m_searchFile.isEmpty(); }
    QString shortNameMode() const { return m_shortNameMode; }
    // [aliases]: short name → fully qualified repository, and the file of each.
    QMap<QString, QString> aliases() const { return m_aliases; }
    QString aliasFile(const QString &shortName) const { return m_aliasFiles.value(shortName); }
    // The repository a short name (without tag or digest) is an alias for, if any.
    std::optional<QString> alias(const QString &shortName) const;
    // Whether a name as the user typed it ("busybox:1.0", "team/app") has no registry, as docker
    // reads it: a first component with neither '.' nor ':' that is not "localhost".
    static bool isShortName(QStringView name);
    // The fully qualified names to try for a short name (tag or digest kept), in order: the alias
    // when one matches, else each search registry. Empty when the name is qualified or no search
    // registry is configured.
    QStringList shortNameCandidates(const QString &name) const;

    // The rule with the longest prefix that matches, if any.
    const RegistryRule *match(const QString &repository) const;
    // The rule blocking this repository, if any.
    const RegistryRule *blockedBy(const QString &repository) const;
    // The mirrors to try (honouring pull-from-mirror and mirror-by-digest-only), then the
    // location; one source (the repository itself) when no rule matches.
    QList<PullSource> pullSources(const QString &repository, bool byDigest) const;
    // The location only: pushes, deletes and tag lists never go to a mirror.
    PullSource pushDestination(const QString &repository) const;
    // Whether a registry ("host[:port]") is marked insecure by a rule's location or a mirror.
    bool isInsecure(const QString &registry) const;
    // The registries marked insecure, with the file of each.
    QList<std::pair<QString, QString>> insecureRegistries() const;

private:
    void mergeRegistry(const RegistryRule &rule);

    QStringList m_filesRead;
    QList<RegistriesConfProblem> m_problems;
    QList<RegistryRule> m_rules;
    QStringList m_search;
    QString m_searchFile;
    QString m_shortNameMode;
    QMap<QString, QString> m_aliases;
    QMap<QString, QString> m_aliasFiles;
};

} // namespace Berth
