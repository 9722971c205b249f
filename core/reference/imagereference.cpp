#include "imagereference.h"

#include <QRegularExpression>

#include <algorithm>

namespace Berth {

namespace {

// distribution/reference bounds the repository path (what the registry's API sees, "library/node"),
// not the domain: that is what registries enforce and what docker checks since reference v0.5.
constexpr qsizetype MaxPathLength = 255;
constexpr qsizetype MaxTagLength = 128;
// No valid reference comes near this (255 path + 128 tag + 135 digest + a host name); refusing
// earlier keeps hostile input from reaching the regular expressions at all.
constexpr qsizetype MaxReferenceLength = 4096;

const QString LegacyDockerHubDomain = QStringLiteral("index.docker.io");
const QString LibraryPrefix = QStringLiteral("library/");

// Error messages quote what the user typed; very long input is cut so the message stays readable.
QString quoted(QStringView text)
{
    constexpr qsizetype Max = 80;
    if (text.size() <= Max)
        return QString(u'\'' + text.toString() + u'\'');
    return QString(u'\'' + text.left(Max - 1).toString() + QStringLiteral("…'"));
}

bool isLowerHex(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
}

bool isAsciiUpper(QChar c)
{
    return c >= u'A' && c <= u'Z';
}

// What a tag starts with: a letter, a digit or '_'.
bool isTagWord(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
           || c == u'_';
}

bool hasAsciiUpper(QStringView text)
{
    return std::any_of(text.begin(), text.end(), isAsciiUpper);
}

bool isDigits(QStringView text)
{
    return !text.isEmpty()
           && std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// \A and \z rather than ^ and $: '$' also matches before a trailing newline.
const QRegularExpression &pathComponentPattern()
{
    static const QRegularExpression re(
        QStringLiteral("\\A[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*\\z"));
    return re;
}

const QRegularExpression &domainComponentPattern()
{
    static const QRegularExpression re(
        QStringLiteral("\\A(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\\z"));
    return re;
}

const QRegularExpression &ipv6Pattern()
{
    static const QRegularExpression re(QStringLiteral("\\A\\[[a-fA-F0-9:]+\\]\\z"));
    return re;
}

bool matches(const QRegularExpression &re, QStringView text)
{
    return re.match(text).hasMatch();
}

Status validateDomain(QStringView domain)
{
    QStringView host = domain;
    QStringView port;
    bool hasPort = false;
    if (domain.startsWith(u'[')) {
        const qsizetype close = domain.indexOf(u']');
        if (close < 0) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid registry name %1: missing ']' after the IPv6 address")
                            .arg(quoted(domain)));
        }
        host = domain.left(close + 1);
        const QStringView rest = domain.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':')) {
                return fail(Error::Kind::InvalidArgument,
                            tr("invalid registry name %1: unexpected %2 after the IPv6 address")
                                .arg(quoted(domain), quoted(rest)));
            }
            hasPort = true;
            port = rest.sliced(1);
        }
        if (!matches(ipv6Pattern(), host)) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid registry name %1: %2 is not an IPv6 address")
                            .arg(quoted(domain), quoted(host)));
        }
    } else {
        const qsizetype colon = domain.indexOf(u':');
        if (colon >= 0) {
            host = domain.left(colon);
            port = domain.sliced(colon + 1);
            hasPort = true;
        }
        if (host.isEmpty()) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid registry name %1: the host name is empty").arg(quoted(domain)));
        }
        for (QStringView component : host.split(u'.')) {
            if (component.isEmpty()) {
                return fail(
                    Error::Kind::InvalidArgument,
                    tr("invalid registry name %1: empty part between dots").arg(quoted(domain)));
            }
            if (!matches(domainComponentPattern(), component)) {
                return fail(Error::Kind::InvalidArgument,
                            tr("invalid registry name %1: %2 is not a valid host name part "
                               "(letters, digits and inner '-' only)")
                                .arg(quoted(domain), quoted(component)));
            }
        }
    }
    if (hasPort) {
        // The grammar only asks for digits; a port TCP cannot use is refused as well because no
        // registry can ever answer there.
        bool ok = false;
        const uint number = isDigits(port) && port.size() <= 5 ? port.toUInt(&ok) : 0;
        if (!ok || number == 0 || number > 65535) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid registry name %1: the port must be a number from 1 to 65535")
                            .arg(quoted(domain)));
        }
    }
    return {};
}

Status validatePath(QStringView path)
{
    if (path.isEmpty()) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid reference format: the repository name is empty"));
    }
    bool uppercase = false;
    for (QStringView component : path.split(u'/')) {
        if (component.isEmpty()) {
            return fail(
                Error::Kind::InvalidArgument,
                tr("invalid reference format: empty path component in %1").arg(quoted(path)));
        }
        if (matches(pathComponentPattern(), component))
            continue;
        // An uppercase letter is the usual mistake; say so rather than describe the whole grammar,
        // but only when lowercasing would really fix the component.
        if (hasAsciiUpper(component)
            && matches(pathComponentPattern(), component.toString().toLower())) {
            uppercase = true;
            continue;
        }
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid reference format: %1 is not a valid repository name component: use "
                       "lowercase letters and digits, separated by '.', '_', '__' or dashes")
                        .arg(quoted(component)));
    }
    if (uppercase) {
        return fail(Error::Kind::InvalidArgument,
                    tr("repository name must be lowercase: %1").arg(quoted(path)));
    }
    return {};
}

struct ParsedReference
{
    QString domain;
    QString path;
    QString tag;
    Digest digest;
};

// What is refused before the reference is split at all.
Status checkWhole(QStringView text)
{
    if (text.isEmpty()) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid reference format: the image reference is empty"));
    }
    if (text.size() > MaxReferenceLength) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid reference format: the image reference is %1 characters long")
                        .arg(text.size()));
    }
    // docker refuses these so that an image ID is never taken for a repository named like it.
    if (text.size() == 64 && std::all_of(text.begin(), text.end(), isLowerHex)) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid repository name %1: a 64-character hexadecimal string is an image "
                       "ID, not a repository name")
                        .arg(quoted(text)));
    }
    return {};
}

// "name@digest": the digest goes into `ref`, `name` keeps what is before it.
Status takeDigest(QStringView text, QStringView &name, ParsedReference &ref)
{
    const qsizetype at = text.indexOf(u'@');
    if (at < 0)
        return {};
    name = text.left(at);
    const QStringView digestText = text.sliced(at + 1);
    if (digestText.isEmpty()) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid reference format: nothing after '@' in %1 (a digest such as "
                       "sha256:… was expected)")
                        .arg(quoted(text)));
    }
    auto digest = Digest::parse(digestText);
    if (!digest)
        return fail(digest.error());
    ref.digest = *digest;
    return {};
}

// The tag follows the last ':' after the last '/', so a port ("host:5000/x") is not a tag.
Status takeTag(QStringView text, QStringView &name, ParsedReference &ref)
{
    const qsizetype slash = name.lastIndexOf(u'/');
    const qsizetype colon = name.lastIndexOf(u':');
    if (colon > slash) {
        const QStringView tag = name.sliced(colon + 1);
        if (tag.isEmpty()) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid reference format: nothing after ':' in %1 (a tag was expected)")
                            .arg(quoted(text)));
        }
        if (auto valid = ImageReference::validateTag(tag); !valid)
            return fail(valid.error());
        ref.tag = tag.toString();
        name = name.left(colon);
    }
    if (name.isEmpty()) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid reference format: %1 has no repository name").arg(quoted(text)));
    }
    return {};
}

// A first component that names a host (a dot, a port, localhost, or uppercase, which no
// repository has) rather than a repository path's first part.
bool looksLikeHost(QStringView first)
{
    return first.contains(u'.') || first.contains(u':') || first == u"localhost"
           || hasAsciiUpper(first);
}

// The first component is the registry when it looks like a host; Docker Hub otherwise. `name`
// keeps the repository path.
Status takeDomain(QStringView &name, ParsedReference &ref)
{
    const qsizetype firstSlash = name.indexOf(u'/');
    if (firstSlash >= 0) {
        const QStringView first = name.left(firstSlash);
        if (looksLikeHost(first)) {
            if (auto valid = validateDomain(first); !valid)
                return fail(valid.error());
            ref.domain = first.toString();
            name = name.sliced(firstSlash + 1);
        }
    }
    if (ref.domain.isEmpty() || ref.domain.compare(LegacyDockerHubDomain, Qt::CaseInsensitive) == 0
        || ref.domain.compare(ImageReference::dockerHubDomain(), Qt::CaseInsensitive) == 0) {
        ref.domain = ImageReference::dockerHubDomain();
    }
    return {};
}

Status takePath(QStringView path, ParsedReference &ref)
{
    if (auto valid = validatePath(path); !valid)
        return fail(valid.error());
    ref.path = path.toString();
    if (ref.domain == ImageReference::dockerHubDomain() && !ref.path.contains(u'/'))
        ref.path.prepend(LibraryPrefix);
    if (ref.path.size() > MaxPathLength) {
        return fail(Error::Kind::InvalidArgument,
                    tr("repository name is longer than 255 characters: %1 has %2")
                        .arg(quoted(ref.path))
                        .arg(ref.path.size()));
    }
    return {};
}

// [domain/]path[:tag][@digest], each part taken off in turn.
Result<ParsedReference> parseReference(QStringView text)
{
    if (Status s = checkWhole(text); !s)
        return fail(s.error());
    ParsedReference ref;
    QStringView name = text;
    if (Status s = takeDigest(text, name, ref); !s)
        return fail(s.error());
    if (Status s = takeTag(text, name, ref); !s)
        return fail(s.error());
    if (Status s = takeDomain(name, ref); !s)
        return fail(s.error());
    if (Status s = takePath(name, ref); !s)
        return fail(s.error());
    return ref;
}

} // namespace

Result<Digest> Digest::parse(QStringView text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0) {
        return fail(
            Error::Kind::InvalidArgument,
            tr("invalid digest %1: expected 'sha256:' followed by 64 hexadecimal characters")
                .arg(quoted(text)));
    }
    const QStringView algorithm = text.left(colon);
    const QStringView encoded = text.sliced(colon + 1);
    qsizetype expected = 0;
    if (algorithm == u"sha256")
        expected = 64;
    else if (algorithm == u"sha512")
        expected = 128;
    else {
        return fail(
            Error::Kind::InvalidArgument,
            tr("unsupported digest algorithm %1 in %2: only sha256 and sha512 are supported")
                .arg(quoted(algorithm), quoted(text)));
    }
    if (encoded.size() != expected) {
        return fail(
            Error::Kind::InvalidArgument,
            tr("invalid digest %1: expected %2 hexadecimal characters after '%3:', found %4")
                .arg(quoted(text))
                .arg(expected)
                .arg(algorithm.toString())
                .arg(encoded.size()));
    }
    if (!std::all_of(encoded.begin(), encoded.end(), isLowerHex)) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid digest %1: expected %2 hexadecimal characters after '%3:' "
                       "(0-9 and lowercase a-f only)")
                        .arg(quoted(text))
                        .arg(expected)
                        .arg(algorithm.toString()));
    }
    Digest digest;
    digest.m_algorithm = algorithm.toString();
    digest.m_encoded = encoded.toString();
    return digest;
}

Result<ImageReference> ImageReference::parse(QStringView text)
{
    auto parsed = parseReference(text);
    if (!parsed)
        return fail(parsed.error());
    ImageReference ref;
    ref.m_domain = std::move(parsed->domain);
    ref.m_path = std::move(parsed->path);
    ref.m_tag = std::move(parsed->tag);
    ref.m_digest = parsed->digest;
    if (ref.m_tag.isEmpty() && !ref.m_digest.isValid())
        ref.m_tag = QStringLiteral("latest");
    return ref;
}

Result<ImageReference> ImageReference::parseRepository(QStringView text)
{
    auto parsed = parseReference(text);
    if (!parsed)
        return fail(parsed.error());
    if (!parsed->tag.isEmpty() || parsed->digest.isValid()) {
        return fail(
            Error::Kind::InvalidArgument,
            tr("%1 is not a repository name: it names a tag or a digest").arg(quoted(text)));
    }
    ImageReference ref;
    ref.m_domain = std::move(parsed->domain);
    ref.m_path = std::move(parsed->path);
    return ref;
}

QString ImageReference::toString() const
{
    QString out = repository();
    if (!m_tag.isEmpty())
        out += u':' + m_tag;
    if (m_digest.isValid())
        out += u'@' + m_digest.toString();
    return out;
}

QString ImageReference::familiarRepository() const
{
    if (!isDockerHub())
        return repository();
    if (m_path.startsWith(LibraryPrefix) && m_path.indexOf(u'/', LibraryPrefix.size()) < 0)
        return m_path.sliced(LibraryPrefix.size());
    // "docker.io/l.io/app" without its registry would name the host l.io: it keeps docker.io/.
    if (looksLikeHost(QStringView(m_path).left(m_path.indexOf(u'/'))))
        return dockerHubDomain() + u'/' + m_path;
    return m_path;
}

QString ImageReference::familiarString() const
{
    QString out = familiarRepository();
    if (!m_tag.isEmpty())
        out += u':' + m_tag;
    if (m_digest.isValid())
        out += u'@' + m_digest.toString();
    return out;
}

QString ImageReference::registryHost() const
{
    return isDockerHub() ? dockerHubRegistryHost() : m_domain;
}

ImageReference ImageReference::withTag(const QString &tag) const
{
    ImageReference ref = *this;
    ref.m_tag = tag;
    ref.m_digest = {};
    return ref;
}

ImageReference ImageReference::withDigest(const Digest &digest) const
{
    ImageReference ref = *this;
    ref.m_digest = digest;
    return ref;
}

QString ImageReference::normalizeRegistry(QStringView server)
{
    QStringView s = server.trimmed();
    for (QStringView scheme : {QStringView(u"https://"), QStringView(u"http://")}) {
        if (s.startsWith(scheme, Qt::CaseInsensitive)) {
            s = s.sliced(scheme.size());
            break;
        }
    }
    if (const qsizetype slash = s.indexOf(u'/'); slash >= 0)
        s = s.left(slash);
    const QString host = s.toString().toLower();
    // docker login with no server means Docker Hub, and Hub answers to several names: config.json
    // keys it as https://index.docker.io/v1/, the registry API lives on registry-1.docker.io.
    if (host.isEmpty() || host == dockerHubDomain() || host == LegacyDockerHubDomain
        || host == dockerHubRegistryHost() || host == u"registry.hub.docker.com") {
        return dockerHubDomain();
    }
    return host;
}

bool ImageReference::isValidTag(QStringView tag)
{
    if (tag.isEmpty() || tag.size() > MaxTagLength || !isTagWord(tag.front()))
        return false;
    return std::all_of(
        tag.begin(), tag.end(), [](QChar c) { return isTagWord(c) || c == u'.' || c == u'-'; });
}

QStringList ImageReference::keepValidTags(const QStringList &names)
{
    QStringList valid;
    valid.reserve(names.size());
    for (const QString &name : names) {
        if (isValidTag(name))
            valid.append(name);
    }
    return valid;
}

Status ImageReference::validateTag(QStringView tag)
{
    if (isValidTag(tag))
        return {};
    // Not a tag: say why.
    if (tag.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("invalid tag: a tag cannot be empty"));
    if (tag.size() > MaxTagLength) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid tag %1: a tag is at most 128 characters long, this one has %2")
                        .arg(quoted(tag))
                        .arg(tag.size()));
    }
    if (!isTagWord(tag.front())) {
        return fail(
            Error::Kind::InvalidArgument,
            tr("invalid tag %1: a tag must start with a letter, a digit or '_'").arg(quoted(tag)));
    }
    for (qsizetype i = 0; i < tag.size(); ++i) {
        const QChar c = tag[i];
        if (isTagWord(c) || c == u'.' || c == u'-')
            continue;
        // Quote a whole character, not half of a surrogate pair.
        const qsizetype length = c.isHighSurrogate() && i + 1 < tag.size() ? 2 : 1;
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid tag %1: %2 is not allowed (letters, digits, '_', '.' and '-' only)")
                        .arg(quoted(tag), quoted(tag.sliced(i, length))));
    }
    return {};
}

} // namespace Berth
