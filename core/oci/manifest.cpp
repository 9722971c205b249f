#include "manifest.h"
#include "common/jsonlimits.h"

#include "common/logging.h"
#include "mediatypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSysInfo>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// Checked before QJsonDocument sees the body: Qt's own limit is 1024 levels, far more than any
// manifest or config needs, and recursion that deep is what a hostile body would aim for.
constexpr int MaxJsonDepth = 64;
// JSON numbers are doubles: integers above 2^53 have already lost precision.
constexpr qint64 MaxJsonInteger = qint64(1) << 53;

const QString AttestationTypeAnnotation = QStringLiteral("vnd.docker.reference.type");
const QString AttestationManifest = QStringLiteral("attestation-manifest");

enum class Document { Manifest, Index, Config };

QString documentName(Document document)
{
    switch (document) {
    case Document::Manifest:
        return tr("manifest");
    case Document::Index:
        return tr("image index");
    case Document::Config:
        return tr("image configuration");
    }
    return {};
}

std::unexpected<Error> malformed(Document document, const QString &detail)
{
    return fail(Error::Kind::Protocol, tr("malformed %1: %2").arg(documentName(document), detail));
}

QString quoted(QStringView text)
{
    constexpr qsizetype Max = 80;
    if (text.size() <= Max)
        return QString(u'\'' + text.toString() + u'\'');
    return QString(u'\'' + text.left(Max - 1).toString() + QStringLiteral("…'"));
}

QString quoted(const QString &text)
{
    return quoted(QStringView(text));
}

Result<QJsonObject> parseJsonObject(const QByteArray &body, qint64 maxSize, Document document)
{
    if (body.size() > maxSize) {
        return fail(Error::Kind::Protocol,
                    tr("the %1 is %2 bytes, more than the %3 MiB Berth accepts")
                        .arg(documentName(document))
                        .arg(body.size())
                        .arg(maxSize / (1024 * 1024)));
    }
    if (body.trimmed().isEmpty())
        return fail(Error::Kind::Protocol, tr("the %1 is empty").arg(documentName(document)));
    if (nestsDeeperThan(body, MaxJsonDepth)) {
        return fail(Error::Kind::Protocol,
                    tr("the %1 nests JSON objects and arrays more than %2 levels deep")
                        .arg(documentName(document))
                        .arg(MaxJsonDepth));
    }
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return fail(Error::Kind::Protocol,
                    tr("the %1 is not valid JSON: %2 at offset %3")
                        .arg(documentName(document), error.errorString())
                        .arg(error.offset));
    }
    if (!json.isObject()) {
        return fail(Error::Kind::Protocol,
                    tr("the %1 is not a JSON object").arg(documentName(document)));
    }
    return json.object();
}

// Typed field readers: absent and null read as empty (Go writes nil slices and maps as null),
// anything of the wrong type is an error naming the field.
class Reader final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    explicit Reader(Document document)
        : m_document(document)
    {}

    Result<QString> string(const QJsonObject &object,
                           const QString &key,
                           const QString &where,
                           bool required = false) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                return missing(where + key);
            return QString();
        }
        if (!value.isString())
            return malformed(m_document, tr("%1 must be a string").arg(quoted(where + key)));
        return value.toString();
    }

    Result<QStringList>
    stringList(const QJsonObject &object, const QString &key, const QString &where) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return QStringList();
        if (!value.isArray())
            return malformed(m_document,
                             tr("%1 must be an array of strings").arg(quoted(where + key)));
        QStringList out;
        const QJsonArray array = value.toArray();
        out.reserve(array.size());
        for (const QJsonValue &item : array) {
            if (!item.isString()) {
                return malformed(m_document,
                                 tr("%1 must be an array of strings").arg(quoted(where + key)));
            }
            out.append(item.toString());
        }
        return out;
    }

    Result<QMap<QString, QString>>
    stringMap(const QJsonObject &object, const QString &key, const QString &where) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return QMap<QString, QString>();
        if (!value.isObject()) {
            return malformed(m_document,
                             tr("%1 must be an object of strings").arg(quoted(where + key)));
        }
        QMap<QString, QString> out;
        const QJsonObject map = value.toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it.value().isString()) {
                return malformed(m_document,
                                 tr("%1 must be an object of strings").arg(quoted(where + key)));
            }
            out.insert(it.key(), it.value().toString());
        }
        return out;
    }

    // The keys of an object whose values do not matter ("ExposedPorts": {"80/tcp": {}}).
    Result<QStringList>
    keys(const QJsonObject &object, const QString &key, const QString &where) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return QStringList();
        if (!value.isObject())
            return malformed(m_document, tr("%1 must be an object").arg(quoted(where + key)));
        return value.toObject().keys();
    }

    Result<qint64> size(const QJsonObject &object, const QString &key, const QString &where) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return missing(where + key);
        const qint64 size = value.isDouble() ? value.toInteger(-1) : -1;
        if (size < 0 || size > MaxJsonInteger) {
            return malformed(m_document,
                             tr("%1 must be a non-negative integer").arg(quoted(where + key)));
        }
        return size;
    }

    Result<Digest> digest(const QString &text, const QString &field) const
    {
        auto digest = Digest::parse(text);
        if (!digest) {
            return malformed(
                m_document,
                tr("%1 is not a valid digest: %2").arg(quoted(field), digest.error().message));
        }
        return *digest;
    }

    std::unexpected<Error> missing(const QString &field) const
    {
        return malformed(m_document, tr("%1 is missing").arg(quoted(field)));
    }

    Document document() const { return m_document; }

private:
    Document m_document;
};

Result<Platform>
parsePlatformObject(const Reader &reader, const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return malformed(reader.document(), tr("%1 must be an object").arg(quoted(where)));
    const QJsonObject object = value.toObject();
    const QString prefix = where + u'.';
    Platform platform;
    auto os = reader.string(object, QStringLiteral("os"), prefix, true);
    if (!os)
        return fail(os.error());
    auto architecture = reader.string(object, QStringLiteral("architecture"), prefix, true);
    if (!architecture)
        return fail(architecture.error());
    auto variant = reader.string(object, QStringLiteral("variant"), prefix);
    if (!variant)
        return fail(variant.error());
    auto osVersion = reader.string(object, QStringLiteral("os.version"), prefix);
    if (!osVersion)
        return fail(osVersion.error());
    platform.os = *os;
    platform.architecture = *architecture;
    platform.variant = *variant;
    platform.osVersion = *osVersion;
    return platform;
}

Result<Descriptor>
parseDescriptor(const Reader &reader, const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return malformed(reader.document(), tr("%1 must be an object").arg(quoted(where)));
    const QJsonObject object = value.toObject();
    const QString prefix = where + u'.';
    Descriptor descriptor;

    auto mediaType = reader.string(object, QStringLiteral("mediaType"), prefix, true);
    if (!mediaType)
        return fail(mediaType.error());
    descriptor.mediaType = *mediaType;

    auto digestText = reader.string(object, QStringLiteral("digest"), prefix, true);
    if (!digestText)
        return fail(digestText.error());
    auto digest = reader.digest(*digestText, prefix + u"digest");
    if (!digest)
        return fail(digest.error());
    descriptor.digest = *digest;

    auto size = reader.size(object, QStringLiteral("size"), prefix);
    if (!size)
        return fail(size.error());
    descriptor.size = *size;

    const QJsonValue platform = object.value(QStringLiteral("platform"));
    if (!platform.isUndefined() && !platform.isNull()) {
        auto parsed = parsePlatformObject(reader, platform, prefix + u"platform");
        if (!parsed)
            return fail(parsed.error());
        descriptor.platform = *parsed;
    }

    auto annotations = reader.stringMap(object, QStringLiteral("annotations"), prefix);
    if (!annotations)
        return fail(annotations.error());
    descriptor.annotations = *annotations;

    auto urls = reader.stringList(object, QStringLiteral("urls"), prefix);
    if (!urls)
        return fail(urls.error());
    descriptor.urls = *urls;
    return descriptor;
}

QString normalizedContentType(QStringView contentType)
{
    const qsizetype semicolon = contentType.indexOf(u';');
    const QStringView type = semicolon >= 0 ? contentType.left(semicolon) : contentType;
    return type.trimmed().toString().toLower();
}

bool isSchema1(QStringView mediaType)
{
    return mediaType == QLatin1String(MediaType::DockerManifestV1)
           || mediaType == QLatin1String(MediaType::DockerManifestV1Signed);
}

bool isKnownManifestType(QStringView mediaType)
{
    return MediaType::isIndex(mediaType) || MediaType::isImageManifest(mediaType)
           || isSchema1(mediaType);
}

// Works on a parsed object so the parsers and detectManifestMediaType agree.
QString mediaTypeOf(const QJsonObject &object, QStringView contentType)
{
    const QJsonValue schemaVersion = object.value(QStringLiteral("schemaVersion"));
    if (schemaVersion.toInteger(0) == 1 || object.contains(QStringLiteral("fsLayers"))) {
        return QLatin1String(object.contains(QStringLiteral("signatures"))
                                 ? MediaType::DockerManifestV1Signed
                                 : MediaType::DockerManifestV1);
    }
    const QString own = object.value(QStringLiteral("mediaType")).toString();
    if (!own.isEmpty())
        return own;
    const QString header = normalizedContentType(contentType);
    if (isKnownManifestType(header))
        return header;
    // OCI makes mediaType optional in the body; registries serving plain application/json
    // leave the shape as the only clue.
    if (object.value(QStringLiteral("manifests")).isArray())
        return QLatin1String(MediaType::OciIndex);
    if (object.value(QStringLiteral("config")).isObject()) {
        const QString configType = object.value(QStringLiteral("config"))
                                       .toObject()
                                       .value(QStringLiteral("mediaType"))
                                       .toString();
        return QLatin1String(configType == QLatin1String(MediaType::DockerConfig)
                                 ? MediaType::DockerManifest
                                 : MediaType::OciManifest);
    }
    return header;
}

Status checkSchemaVersion(const QJsonObject &object, const QString &mediaType, Document document)
{
    const QJsonValue schemaVersion = object.value(QStringLiteral("schemaVersion"));
    if (isSchema1(mediaType) || schemaVersion.toInteger(0) == 1) {
        return fail(Error::Kind::Unsupported,
                    tr("this image uses a Docker schema 1 manifest, which is deprecated and "
                       "unsupported; it must be pushed again with a current tool"));
    }
    // Registries always send it; its absence alone is not worth refusing an image over.
    if (schemaVersion.isUndefined())
        return {};
    if (!schemaVersion.isDouble() || schemaVersion.toInteger(0) != 2) {
        // Wrapping the value in an array is the one way QJsonDocument prints a bare value.
        const QByteArray shown
            = QJsonDocument(QJsonArray{schemaVersion}).toJson(QJsonDocument::Compact);
        return fail(
            Error::Kind::Unsupported,
            tr("unsupported %1: schemaVersion %2, only 2 is supported")
                .arg(documentName(document), QString::fromUtf8(shown.sliced(1).chopped(1))));
    }
    return {};
}

bool isAttestation(const Descriptor &descriptor)
{
    return (descriptor.platform && descriptor.platform->isUnknown())
           || descriptor.annotations.value(AttestationTypeAnnotation) == AttestationManifest;
}

// arm64 images are v8 unless they say otherwise: an index may write either.
QString effectiveVariant(const Platform &platform)
{
    if (platform.variant.isEmpty() && platform.architecture == u"arm64")
        return QStringLiteral("v8");
    return platform.variant;
}

QDateTime parseTimestamp(const QString &text)
{
    if (text.isEmpty())
        return {};
    // RFC 3339 as Go writes it, with up to nanoseconds; Qt's ISODate stops at milliseconds.
    static const QRegularExpression re(QStringLiteral(
        "\\A(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
        "(?:([Zz])|([+-])(\\d{2}):(\\d{2}))\\z"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        qCDebug(lcRegistry) << "unparsable timestamp" << text;
        return {};
    }
    const auto number = [&m](int group) {
        return m.capturedView(group).toInt();
    };
    const QDate date(number(1), number(2), number(3));
    const int milliseconds = m.capturedView(7).isEmpty()
                                 ? 0
                                 : QString(m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(number(4), number(5), number(6), milliseconds);
    // Go's zero time means "not set".
    if (!date.isValid() || !time.isValid() || date.year() == 1)
        return {};
    QDateTime result(date, time, Qt::UTC);
    if (!m.capturedView(9).isEmpty()) {
        const int offset = (number(10) * 60 + number(11)) * 60;
        result = result.addSecs(m.capturedView(9) == u"-" ? offset : -offset);
    }
    return result;
}

QJsonObject toJsonObject(const Platform &platform)
{
    QJsonObject object{{QStringLiteral("architecture"), platform.architecture},
                       {QStringLiteral("os"), platform.os}};
    if (!platform.variant.isEmpty())
        object.insert(QStringLiteral("variant"), platform.variant);
    if (!platform.osVersion.isEmpty())
        object.insert(QStringLiteral("os.version"), platform.osVersion);
    return object;
}

QJsonObject toJsonObject(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.begin(); it != map.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QJsonObject toJsonObject(const Descriptor &descriptor)
{
    QJsonObject object{{QStringLiteral("mediaType"), descriptor.mediaType},
                       {QStringLiteral("digest"), descriptor.digest.toString()},
                       {QStringLiteral("size"), descriptor.size}};
    if (descriptor.platform)
        object.insert(QStringLiteral("platform"), toJsonObject(*descriptor.platform));
    if (!descriptor.annotations.isEmpty())
        object.insert(QStringLiteral("annotations"), toJsonObject(descriptor.annotations));
    if (!descriptor.urls.isEmpty())
        object.insert(QStringLiteral("urls"), QJsonArray::fromStringList(descriptor.urls));
    return object;
}

QString dockerfileLine(const QString &createdBy)
{
    QString line = createdBy.trimmed();
    // BuildKit records the instruction itself and marks it.
    static const QString buildkitMarker = QStringLiteral("# buildkit");
    if (line.endsWith(buildkitMarker))
        line = line.chopped(buildkitMarker.size()).trimmed();
    if (line.isEmpty())
        return {};

    // The classic builder runs metadata instructions as a no-op shell command.
    static const QRegularExpression nop(
        QStringLiteral("^(?:/bin/sh -c|cmd /S /C)\\s+#\\(nop\\)\\s*(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    // "RUN /bin/sh -c X" (BuildKit), "/bin/sh -c X" (classic), both possibly preceded by the build
    // arguments in effect ("|2 A=1 B=2 /bin/sh -c X"): the Dockerfile said "RUN X".
    static const QRegularExpression run(
        QStringLiteral("^(?:RUN\\s+)?(?:\\|\\d+\\s+.*?\\s)?"
                       "(?:/bin/sh -c|/bin/bash -c|cmd /S /C|powershell -Command)\\s+(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    if (const QRegularExpressionMatch m = nop.match(line); m.hasMatch())
        line = m.captured(1).trimmed();
    else if (const QRegularExpressionMatch r = run.match(line); r.hasMatch())
        line = QStringLiteral("RUN ") + r.captured(1).trimmed();

    // BuildKit prints EXPOSE's Go map: "EXPOSE map[80/tcp:{} 443/tcp:{}]".
    static const QRegularExpression exposeMap(QStringLiteral("^EXPOSE map\\[(.*)\\]$"));
    if (const QRegularExpressionMatch m = exposeMap.match(line); m.hasMatch()) {
        QString ports = m.captured(1);
        ports.remove(QStringLiteral(":{}"));
        line = QStringLiteral("EXPOSE ") + ports.simplified();
    }
    return line;
}

// Collects the first error of a run of fields, so that each field reads as one line.
class FirstError final
{
public:
    template<typename R, typename T>
    void take(R result, T &target)
    {
        if (m_error)
            return;
        if (result)
            target = std::move(*result);
        else
            m_error = result.error();
    }
    Status status() const
    {
        if (m_error)
            return fail(*m_error);
        return {};
    }

private:
    std::optional<Error> m_error;
};

// The platform and authorship fields at the top of a configuration.
void takeImageFields(const Reader &reader,
                     const QJsonObject &object,
                     ImageConfig &config,
                     FirstError &errors)
{
    errors.take(reader.string(object, u"architecture"_s, {}), config.platform.architecture);
    errors.take(reader.string(object, u"os"_s, {}), config.platform.os);
    errors.take(reader.string(object, u"variant"_s, {}), config.platform.variant);
    errors.take(reader.string(object, u"os.version"_s, {}), config.platform.osVersion);
    errors.take(reader.string(object, u"author"_s, {}), config.author);
    QString created;
    errors.take(reader.string(object, u"created"_s, {}), created);
    config.created = parseTimestamp(created);
}

// "config": how a container of the image runs. A wrong type of the object itself is reported
// before any error of the fields above it.
Status takeRunConfig(const Reader &reader,
                     const QJsonObject &object,
                     ImageConfig &config,
                     FirstError &errors)
{
    const QJsonValue runConfig = object.value(u"config"_s);
    if (!runConfig.isUndefined() && !runConfig.isNull() && !runConfig.isObject())
        return malformed(Document::Config, tr("%1 must be an object").arg(quoted(u"config")));
    const QJsonObject run = runConfig.toObject();
    const QString runPrefix = QStringLiteral("config.");
    errors.take(reader.string(run, u"User"_s, runPrefix), config.user);
    errors.take(reader.string(run, u"WorkingDir"_s, runPrefix), config.workingDir);
    errors.take(reader.stringList(run, u"Env"_s, runPrefix), config.env);
    errors.take(reader.stringList(run, u"Entrypoint"_s, runPrefix), config.entrypoint);
    errors.take(reader.stringList(run, u"Cmd"_s, runPrefix), config.cmd);
    errors.take(reader.keys(run, u"ExposedPorts"_s, runPrefix), config.exposedPorts);
    errors.take(reader.keys(run, u"Volumes"_s, runPrefix), config.volumes);
    errors.take(reader.string(run, u"StopSignal"_s, runPrefix), config.stopSignal);
    errors.take(reader.stringMap(run, u"Labels"_s, runPrefix), config.labels);
    return {};
}

Status parseDiffIds(const Reader &reader, const QJsonObject &object, ImageConfig &config)
{
    const QJsonValue rootfs = object.value(u"rootfs"_s);
    if (!rootfs.isUndefined() && !rootfs.isNull() && !rootfs.isObject())
        return malformed(Document::Config, tr("%1 must be an object").arg(quoted(u"rootfs")));
    QStringList diffIds;
    FirstError errors;
    errors.take(reader.stringList(rootfs.toObject(), u"diff_ids"_s, QStringLiteral("rootfs.")),
                diffIds);
    if (Status s = errors.status(); !s)
        return s;
    for (qsizetype i = 0; i < diffIds.size(); ++i) {
        auto digest = reader.digest(diffIds[i], QStringLiteral("rootfs.diff_ids[%1]").arg(i));
        if (!digest)
            return fail(digest.error());
        config.diffIds.append(digest->toString());
    }
    return {};
}

Result<HistoryEntry> parseHistoryEntry(const Reader &reader, const QJsonValue &value, qsizetype i)
{
    const QString where = QStringLiteral("history[%1]").arg(i);
    if (!value.isObject())
        return malformed(Document::Config, tr("%1 must be an object").arg(quoted(where)));
    const QJsonObject item = value.toObject();
    const QString prefix = where + u'.';
    HistoryEntry entry;
    QString entryCreated;
    FirstError errors;
    errors.take(reader.string(item, u"created"_s, prefix), entryCreated);
    errors.take(reader.string(item, u"created_by"_s, prefix), entry.createdBy);
    errors.take(reader.string(item, u"comment"_s, prefix), entry.comment);
    errors.take(reader.string(item, u"author"_s, prefix), entry.author);
    if (Status s = errors.status(); !s)
        return fail(s.error());
    const QJsonValue empty = item.value(u"empty_layer"_s);
    if (!empty.isUndefined() && !empty.isNull() && !empty.isBool()) {
        return malformed(Document::Config,
                         tr("%1 must be true or false").arg(quoted(prefix + u"empty_layer")));
    }
    entry.emptyLayer = empty.toBool();
    entry.created = parseTimestamp(entryCreated);
    return entry;
}

Status parseHistory(const Reader &reader, const QJsonObject &object, ImageConfig &config)
{
    const QJsonValue history = object.value(u"history"_s);
    if (!history.isUndefined() && !history.isNull() && !history.isArray())
        return malformed(Document::Config, tr("%1 must be an array").arg(quoted(u"history")));
    const QJsonArray entries = history.toArray();
    config.history.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        auto entry = parseHistoryEntry(reader, entries.at(i), i);
        if (!entry)
            return fail(entry.error());
        config.history.append(*entry);
    }
    return {};
}

} // namespace

QString Platform::toString() const
{
    QString out = os + u'/' + architecture;
    if (!variant.isEmpty())
        out += u'/' + variant;
    return out;
}

Result<Platform> Platform::parse(QStringView text)
{
    const QList<QStringView> parts = text.split(u'/');
    if (parts.size() < 2 || parts.size() > 3) {
        return fail(Error::Kind::InvalidArgument,
                    tr("invalid platform %1: expected os/architecture[/variant], e.g. linux/amd64")
                        .arg(quoted(text)));
    }
    static const QRegularExpression partPattern(QStringLiteral("\\A[a-z0-9][a-z0-9._-]*\\z"));
    const QString names[] = {tr("operating system"), tr("architecture"), tr("variant")};
    QStringList lowered;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString part = parts[i].trimmed().toString().toLower();
        if (part.isEmpty()) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid platform %1: the %2 is empty").arg(quoted(text), names[i]));
        }
        if (!partPattern.match(part).hasMatch()) {
            return fail(Error::Kind::InvalidArgument,
                        tr("invalid platform %1: %2 is not a valid %3")
                            .arg(quoted(text), quoted(parts[i]), names[i]));
        }
        lowered.append(part);
    }
    Platform platform;
    platform.os = lowered[0];
    platform.architecture = lowered[1];
    platform.variant = lowered.value(2);

    // Users write the names uname and Debian use; indexes use Go's.
    const QString &arch = platform.architecture;
    if (arch == u"x86_64" || arch == u"x86-64") {
        platform.architecture = QStringLiteral("amd64");
    } else if (arch == u"aarch64") {
        platform.architecture = QStringLiteral("arm64");
    } else if (arch == u"i386" || arch == u"i486" || arch == u"i586" || arch == u"i686"
               || arch == u"x86") {
        platform.architecture = QStringLiteral("386");
    } else if (arch == u"armhf" || arch == u"armel") {
        if (platform.variant.isEmpty())
            platform.variant = arch == u"armhf" ? QStringLiteral("v7") : QStringLiteral("v6");
        platform.architecture = QStringLiteral("arm");
    }
    if ((platform.architecture == u"arm" || platform.architecture == u"arm64")
        && !platform.variant.isEmpty() && platform.variant.front().isDigit()) {
        platform.variant.prepend(u'v');
    }
    return platform;
}

Platform Platform::host()
{
    Platform platform;
    const QString kernel = QSysInfo::kernelType();
    platform.os = kernel == u"winnt" ? QStringLiteral("windows") : kernel;

    const QString cpu = QSysInfo::currentCpuArchitecture();
    const bool little = QSysInfo::ByteOrder == QSysInfo::LittleEndian;
    if (cpu == u"x86_64") {
        platform.architecture = QStringLiteral("amd64");
    } else if (cpu == u"i386") {
        platform.architecture = QStringLiteral("386");
    } else if (cpu == u"arm64") {
        platform.architecture = QStringLiteral("arm64");
        platform.variant = QStringLiteral("v8");
    } else if (cpu == u"arm") {
        // Qt does not tell the ARM revision; v7 is what every 32-bit distribution still builds for.
        platform.architecture = QStringLiteral("arm");
        platform.variant = QStringLiteral("v7");
    } else if (cpu == u"mips" || cpu == u"mips64") {
        platform.architecture = little ? cpu + QStringLiteral("le") : cpu;
    } else if (cpu == u"power64") {
        platform.architecture = little ? QStringLiteral("ppc64le") : QStringLiteral("ppc64");
    } else if (cpu == u"power") {
        platform.architecture = QStringLiteral("ppc");
    } else if (cpu == u"loongarch64") {
        platform.architecture = QStringLiteral("loong64");
    } else {
        platform.architecture = cpu; // riscv64, s390x, … are spelled alike
    }
    return platform;
}

bool Platform::satisfies(const Platform &wanted) const
{
    if (isUnknown() || os != wanted.os || architecture != wanted.architecture)
        return false;
    return wanted.variant.isEmpty() || effectiveVariant(*this) == effectiveVariant(wanted);
}

qint64 ImageManifest::layersSize() const
{
    qint64 total = 0;
    for (const Descriptor &layer : layers) {
        // Sizes come from the network: saturate rather than overflow.
        if (layer.size > std::numeric_limits<qint64>::max() - total)
            return std::numeric_limits<qint64>::max();
        total += layer.size;
    }
    return total;
}

std::optional<Descriptor> ImageIndex::select(const Platform &wanted) const
{
    const Descriptor *best = nullptr;
    for (const Descriptor &descriptor : manifests) {
        if (isAttestation(descriptor) || !descriptor.platform
            || !descriptor.platform->satisfies(wanted)) {
            continue;
        }
        // Exact variant first ("linux/amd64" over "linux/amd64/v3" when no variant is asked),
        // then index order.
        const bool exact = effectiveVariant(*descriptor.platform) == effectiveVariant(wanted);
        if (exact)
            return descriptor;
        if (!best)
            best = &descriptor;
    }
    if (best)
        return *best;

    // An ARM CPU runs the older ARM revisions too (containerd picks them the same way).
    if (wanted.architecture == u"arm" && wanted.variant.size() == 2 && wanted.variant[0] == u'v') {
        for (int revision = wanted.variant[1].digitValue() - 1; revision >= 5; --revision) {
            Platform older = wanted;
            older.variant = u'v' + QString::number(revision);
            for (const Descriptor &descriptor : manifests) {
                if (!isAttestation(descriptor) && descriptor.platform
                    && descriptor.platform->satisfies(older)) {
                    return descriptor;
                }
            }
        }
    }

    // Some tools write an index without platforms around a single image: take it when it is
    // the only candidate; the caller still checks the config's platform.
    std::optional<Descriptor> sole;
    for (const Descriptor &descriptor : manifests) {
        if (isAttestation(descriptor))
            continue;
        if (descriptor.platform || sole || !MediaType::isImageManifest(descriptor.mediaType))
            return std::nullopt;
        sole = descriptor;
    }
    return sole;
}

QList<Platform> ImageIndex::platforms() const
{
    QList<Platform> out;
    for (const Descriptor &descriptor : manifests) {
        if (descriptor.platform && !isAttestation(descriptor))
            out.append(*descriptor.platform);
    }
    return out;
}

QStringList ImageConfig::reconstructedDockerfile() const
{
    QStringList lines;
    lines.reserve(history.size());
    for (const HistoryEntry &entry : history) {
        QString line = dockerfileLine(entry.createdBy);
        // Imported or committed layers have no instruction, only a comment ("Imported from -").
        if (line.isEmpty() && !entry.comment.trimmed().isEmpty())
            line = QStringLiteral("# ") + entry.comment.simplified();
        if (!line.isEmpty())
            lines.append(line);
    }
    return lines;
}

Result<ImageManifest> parseImageManifest(const QByteArray &body, QStringView contentType)
{
    auto object = parseJsonObject(body, MaxManifestSize, Document::Manifest);
    if (!object)
        return fail(object.error());
    const Reader reader(Document::Manifest);
    if (!object->value(QStringLiteral("mediaType")).isUndefined()) {
        if (auto own = reader.string(*object, QStringLiteral("mediaType"), {}); !own)
            return fail(own.error());
    }
    ImageManifest manifest;
    manifest.mediaType = mediaTypeOf(*object, contentType);
    if (auto version = checkSchemaVersion(*object, manifest.mediaType, Document::Manifest);
        !version)
        return fail(version.error());
    if (MediaType::isIndex(manifest.mediaType)) {
        return fail(
            Error::Kind::Protocol,
            tr("expected an image manifest but got an image index (%1)").arg(manifest.mediaType));
    }
    if (manifest.mediaType.isEmpty()) {
        return malformed(Document::Manifest,
                         tr("no media type, and neither 'config' nor 'manifests' to tell it by"));
    }
    if (!MediaType::isImageManifest(manifest.mediaType)) {
        return fail(Error::Kind::Unsupported,
                    tr("unsupported manifest media type %1").arg(quoted(manifest.mediaType)));
    }

    const QJsonValue config = object->value(QStringLiteral("config"));
    if (config.isUndefined() || config.isNull())
        return reader.missing(QStringLiteral("config"));
    auto configDescriptor = parseDescriptor(reader, config, QStringLiteral("config"));
    if (!configDescriptor)
        return fail(configDescriptor.error());
    manifest.config = *configDescriptor;

    const QJsonValue layers = object->value(QStringLiteral("layers"));
    if (layers.isUndefined() || layers.isNull())
        return reader.missing(QStringLiteral("layers"));
    if (!layers.isArray())
        return malformed(Document::Manifest, tr("%1 must be an array").arg(quoted(u"layers")));
    const QJsonArray layerArray = layers.toArray();
    manifest.layers.reserve(layerArray.size());
    for (qsizetype i = 0; i < layerArray.size(); ++i) {
        auto layer = parseDescriptor(reader, layerArray.at(i), QStringLiteral("layers[%1]").arg(i));
        if (!layer)
            return fail(layer.error());
        manifest.layers.append(*layer);
    }

    auto annotations = reader.stringMap(*object, QStringLiteral("annotations"), {});
    if (!annotations)
        return fail(annotations.error());
    manifest.annotations = *annotations;
    return manifest;
}

Result<ImageIndex> parseImageIndex(const QByteArray &body, QStringView contentType)
{
    auto object = parseJsonObject(body, MaxManifestSize, Document::Index);
    if (!object)
        return fail(object.error());
    const Reader reader(Document::Index);
    if (!object->value(QStringLiteral("mediaType")).isUndefined()) {
        if (auto own = reader.string(*object, QStringLiteral("mediaType"), {}); !own)
            return fail(own.error());
    }
    ImageIndex index;
    index.mediaType = mediaTypeOf(*object, contentType);
    if (auto version = checkSchemaVersion(*object, index.mediaType, Document::Index); !version)
        return fail(version.error());
    if (MediaType::isImageManifest(index.mediaType)) {
        return fail(
            Error::Kind::Protocol,
            tr("expected an image index but got an image manifest (%1)").arg(index.mediaType));
    }
    if (index.mediaType.isEmpty()) {
        return malformed(Document::Index,
                         tr("no media type, and neither 'config' nor 'manifests' to tell it by"));
    }
    if (!MediaType::isIndex(index.mediaType)) {
        return fail(Error::Kind::Unsupported,
                    tr("unsupported image index media type %1").arg(quoted(index.mediaType)));
    }

    const QJsonValue manifests = object->value(QStringLiteral("manifests"));
    if (manifests.isUndefined() || manifests.isNull())
        return reader.missing(QStringLiteral("manifests"));
    if (!manifests.isArray())
        return malformed(Document::Index, tr("%1 must be an array").arg(quoted(u"manifests")));
    const QJsonArray array = manifests.toArray();
    index.manifests.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto descriptor
            = parseDescriptor(reader, array.at(i), QStringLiteral("manifests[%1]").arg(i));
        if (!descriptor)
            return fail(descriptor.error());
        index.manifests.append(*descriptor);
    }

    auto annotations = reader.stringMap(*object, QStringLiteral("annotations"), {});
    if (!annotations)
        return fail(annotations.error());
    index.annotations = *annotations;
    return index;
}

Result<ImageConfig> parseImageConfig(const QByteArray &body)
{
    auto parsed = parseJsonObject(body, MaxConfigSize, Document::Config);
    if (!parsed)
        return fail(parsed.error());
    const QJsonObject &object = *parsed;
    const Reader reader(Document::Config);
    ImageConfig config;
    FirstError errors;
    takeImageFields(reader, object, config, errors);
    if (Status s = takeRunConfig(reader, object, config, errors); !s)
        return fail(s.error());
    if (Status s = errors.status(); !s)
        return fail(s.error());
    if (Status s = parseDiffIds(reader, object, config); !s)
        return fail(s.error());
    if (Status s = parseHistory(reader, object, config); !s)
        return fail(s.error());
    return config;
}

QString detectManifestMediaType(const QByteArray &body, QStringView contentType)
{
    if (body.size() > MaxManifestSize || nestsDeeperThan(body, MaxJsonDepth))
        return normalizedContentType(contentType);
    const QJsonDocument json = QJsonDocument::fromJson(body);
    if (!json.isObject())
        return normalizedContentType(contentType);
    return mediaTypeOf(json.object(), contentType);
}

QByteArray toJson(const ImageManifest &manifest)
{
    QJsonArray layers;
    for (const Descriptor &layer : manifest.layers)
        layers.append(toJsonObject(layer));
    QJsonObject object{{QStringLiteral("schemaVersion"), 2},
                       {QStringLiteral("mediaType"), manifest.mediaType},
                       {QStringLiteral("config"), toJsonObject(manifest.config)},
                       {QStringLiteral("layers"), layers}};
    if (!manifest.annotations.isEmpty())
        object.insert(QStringLiteral("annotations"), toJsonObject(manifest.annotations));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray toJson(const ImageIndex &index)
{
    QJsonArray manifests;
    for (const Descriptor &descriptor : index.manifests)
        manifests.append(toJsonObject(descriptor));
    QJsonObject object{{QStringLiteral("schemaVersion"), 2},
                       {QStringLiteral("mediaType"), index.mediaType},
                       {QStringLiteral("manifests"), manifests}};
    if (!index.annotations.isEmpty())
        object.insert(QStringLiteral("annotations"), toJsonObject(index.annotations));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace Berth
