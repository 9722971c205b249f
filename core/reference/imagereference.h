#pragma once

#include "common/result.h"

#include <QString>

namespace Berth {

// A content digest "algorithm:encoded". Only sha256 (64 lowercase hex) and sha512 (128) are
// accepted, as the OCI image spec registers; anything else is refused with the reason.
class Digest
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    Digest() = default;
    static Result<Digest> parse(QStringView text);

    bool isValid() const { return !m_algorithm.isEmpty(); }
    QString algorithm() const { return m_algorithm; }
    QString encoded() const { return m_encoded; }
    QString toString() const { return isValid() ? m_algorithm + u':' + m_encoded : QString(); }
    // "sha256:0123456789ab" — the 12-character short form docker shows as an image ID.
    QString shortId() const { return m_encoded.left(12); }

    friend bool operator==(const Digest &, const Digest &) = default;

private:
    QString m_algorithm;
    QString m_encoded;
};

// An image reference per distribution/reference: [domain[:port]/]path[:tag][@digest].
// parse() normalises the way docker does: no domain -> docker.io, a single path component on
// docker.io -> library/, index.docker.io -> docker.io, no tag and no digest -> latest.
class ImageReference
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    ImageReference() = default;

    // Parses and normalises; the error message names what is wrong in the user's terms.
    static Result<ImageReference> parse(QStringView text);
    // Parses a repository name alone ([domain/]path), refusing a tag or digest.
    static Result<ImageReference> parseRepository(QStringView text);

    bool isValid() const { return !m_domain.isEmpty(); }

    QString domain() const { return m_domain; } // "docker.io", "localhost:5000", "[::1]:5000"
    QString path() const { return m_path; }     // "library/node", "jean/mon-app"
    QString tag() const { return m_tag; }       // may be empty when a digest is given
    Digest digest() const { return m_digest; }
    bool hasDigest() const { return m_digest.isValid(); }

    // domain/path: "docker.io/library/node"
    QString repository() const { return m_domain + u'/' + m_path; }
    // The fully qualified form: "docker.io/library/node:latest", "host/x@sha256:…".
    QString toString() const;
    // The short form docker prints: "node:latest", "jean/mon-app:1.0.0", "localhost:5000/x:y".
    QString familiarString() const;
    // familiar repository without tag or digest: "node", "jean/mon-app", "localhost:5000/x"
    QString familiarRepository() const;
    // The manifest reference to ask a registry for: the digest if any, else the tag.
    QString reference() const { return hasDigest() ? m_digest.toString() : m_tag; }

    // The host to talk to: docker.io is served by registry-1.docker.io.
    QString registryHost() const;
    bool isDockerHub() const { return m_domain == dockerHubDomain(); }

    ImageReference withTag(const QString &tag) const;      // drops the digest
    ImageReference withDigest(const Digest &digest) const; // keeps the tag for display

    static QString dockerHubDomain() { return QStringLiteral("docker.io"); }
    static QString dockerHubRegistryHost() { return QStringLiteral("registry-1.docker.io"); }
    // Normalises the names a user may give Docker Hub ("index.docker.io",
    // "https://index.docker.io/v1/", "registry-1.docker.io") and strips a scheme and trailing path
    // from any other server name.
    static QString normalizeRegistry(QStringView server);
    // Validates a tag alone: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
    static Status validateTag(QStringView tag);
    static bool isValidTag(QStringView tag);
    // The names of a registry's tag list that are tags by that grammar, in order. The others (a
    // hostile or broken registry's: control characters, '/', '?', 300 characters) are no tag docker
    // could pull, and would end up in request URLs and on the user's terminal.
    static QStringList keepValidTags(const QStringList &names);

    friend bool operator==(const ImageReference &, const ImageReference &) = default;

private:
    QString m_domain;
    QString m_path;
    QString m_tag;
    Digest m_digest;
};

} // namespace Berth
