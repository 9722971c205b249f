#include "hubclient.h"
#include "common/jsonlimits.h"

#include "common/logging.h"
#include "http/httpstatus.h"
#include "network/proxyerror.h"
#include "registryerror.h"
#include "replytls.h"

#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrlQuery>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Berth {

namespace {

constexpr qint64 MaxBodySize = 32 * 1024 * 1024;
// Hub answers nest four or five levels; anything far deeper is not a Hub answer and would only
// cost stack in the parser.
constexpr int MaxJsonDepth = 64;
constexpr int TransferTimeoutMs = 30000;
constexpr int TagsPageSize = 100;
constexpr int MaxPagesInFlight = 6; // what QNetworkAccessManager opens per host anyway
// 200,000 tags: well past the largest Hub repositories, and a stop for a `next` that never ends.
constexpr int MaxTagsPages = 2000;
constexpr int SearchMaxSize = 100;
constexpr int SearchMaxWindow = 2500; // v4 refuses from + size beyond this
constexpr std::chrono::milliseconds ServerRetryDelays[]
    = {std::chrono::milliseconds(200), std::chrono::milliseconds(800)};
// The Hub's web API answers 405 only to a call Berth made wrong, never for a missing feature.
constexpr HttpStatusKind HubReading[] = {{405, Error::Kind::Protocol}};

QString displayName(const QString &namespaceName, const QString &name)
{
    return namespaceName == u"library" ? name : namespaceName + u'/' + name;
}

bool isValidNameComponent(const QString &text)
{
    static const QRegularExpression component(
        QStringLiteral("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$"));
    return text.size() <= 255 && component.match(text).hasMatch();
}

Error invalidAnswer(const QUrl &url, const QString &detail)
{
    Error error
        = Error::make(Error::Kind::Protocol,
                      tr("Docker Hub sent an invalid answer for %1: %2").arg(url.path(), detail));
    return error;
}

Result<QJsonObject> parseObject(const QByteArray &body, const QUrl &url)
{
    // The transfer stops at this size too; the parsers check it again for bodies from elsewhere.
    if (body.size() > MaxBodySize) {
        // Worded as the transfer's own refusal: which of the two catches it depends on timing.
        return fail(invalidAnswer(url,
                                  tr("the answer is larger than %1 MiB (%2 bytes)")
                                      .arg(MaxBodySize / (1024 * 1024))
                                      .arg(body.size())));
    }
    if (nestsDeeperThan(body, MaxJsonDepth))
        return fail(invalidAnswer(url, tr("JSON nested deeper than %1 levels").arg(MaxJsonDepth)));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(invalidAnswer(
            url, tr("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)));
    }
    if (!document.isObject())
        return fail(invalidAnswer(url, tr("expected a JSON object")));
    return document.object();
}

// The `results` list every Hub listing has; null counts as empty, anything else is not a listing.
Result<QJsonArray> resultsOf(const QJsonObject &object, const QUrl &url)
{
    const QJsonValue results = object.value(u"results");
    if (results.isNull())
        return QJsonArray();
    if (!results.isArray())
        return fail(invalidAnswer(url, tr("no \"results\" list")));
    return results.toArray();
}

QString stringOf(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString();
}

bool boolOf(const QJsonValue &value)
{
    return value.isBool() ? value.toBool() : false;
}

// The largest count a JSON number (a double) holds exactly: beyond it no count was counted.
constexpr double MaxExactCount = 9007199254740992.0; // 2^53

std::optional<qint64> countFromDouble(double value)
{
    if (!std::isfinite(value) || value < 0 || value > MaxExactCount)
        return std::nullopt;
    return static_cast<qint64>(value);
}

// The Hub's short form of a count ("1.2B", "10K"), after the "+" is gone.
std::optional<qint64> shortFormCount(QString text)
{
    double factor = 1;
    if (!text.isEmpty()) {
        switch (text.back().toUpper().unicode()) {
        case u'K':
            factor = 1e3;
            break;
        case u'M':
            factor = 1e6;
            break;
        case u'B':
            factor = 1e9;
            break;
        default:
            break;
        }
        if (factor != 1)
            text.chop(1);
    }
    bool ok = false;
    const double number = text.toDouble(&ok);
    return ok ? countFromDouble(number * factor) : std::nullopt;
}

// Counts arrive as numbers, as numeric strings ("4728203312", v4's pull_count) or, defensively,
// in the Hub site's short form ("1.2B+", "10K+"). Anything else, negative, not finite or past
// 2^53 is no count at all: unknown, never shown as some maximum.
std::optional<qint64> countOf(const QJsonValue &value)
{
    if (value.isDouble())
        return countFromDouble(value.toDouble());
    if (!value.isString())
        return std::nullopt;
    QString text = value.toString().trimmed();
    text.remove(u',');
    if (text.endsWith(u'+'))
        text.chop(1);
    bool ok = false;
    const qint64 integer = text.toLongLong(&ok);
    if (ok)
        return countFromDouble(double(integer));
    return shortFormCount(std::move(text));
}

qint64 knownCountOf(const QJsonValue &value)
{
    return countOf(value).value_or(UnknownCount);
}

QDateTime dateOf(const QJsonValue &value)
{
    const QString text = stringOf(value).trimmed();
    if (text.isEmpty())
        return {};
    QDateTime date = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!date.isValid())
        return {};
    // Go's zero time ("0001-01-01T00:00:00Z") means "never".
    if (date.date().year() < 1970)
        return {};
    if (date.timeSpec() == Qt::LocalTime)
        date.setTimeSpec(Qt::UTC);
    return date.toUTC();
}

Digest digestOf(const QJsonValue &value)
{
    const QString text = stringOf(value);
    if (text.isEmpty())
        return {};
    auto digest = Digest::parse(text);
    if (!digest) {
        qCDebug(lcHub) << "ignoring an invalid digest from Docker Hub:" << text;
        return {};
    }
    return *digest;
}

QUrl httpUrlOf(const QJsonValue &value)
{
    const QUrl url(stringOf(value), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http"))
        return {};
    return url;
}

// architectures / operating_systems: [{name, label}] on v4, plain strings elsewhere.
QStringList namesOf(const QJsonValue &value)
{
    QStringList names;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &entry : array) {
        QString name
            = entry.isObject() ? stringOf(entry.toObject().value(u"name")) : stringOf(entry);
        if (name.isEmpty() && entry.isObject())
            name = stringOf(entry.toObject().value(u"label"));
        if (!name.isEmpty() && !names.contains(name))
            names.append(name);
    }
    return names;
}

HubBadge badgeOf(const QString &text)
{
    if (text == u"official")
        return HubBadge::Official;
    if (text == u"verified_publisher")
        return HubBadge::VerifiedPublisher;
    if (text == u"open_source")
        return HubBadge::OpenSource;
    return HubBadge::None;
}

// "node" → library/node; "bitnami/redis" → bitnami/redis.
void setNames(HubRepositorySummary &summary, const QString &fullName)
{
    const qsizetype slash = fullName.indexOf(u'/');
    if (slash < 0) {
        summary.namespaceName = QStringLiteral("library");
        summary.repositoryName = fullName;
    } else {
        summary.namespaceName = fullName.left(slash);
        summary.repositoryName = fullName.mid(slash + 1);
    }
    summary.name = displayName(summary.namespaceName, summary.repositoryName);
}

// A page holds what was asked for; a server sending more (a whole index at once) gets its first
// `size` entries read, no more.
qsizetype resultsAsked(const QJsonArray &results, const HubSearchQuery &query)
{
    return std::min<qsizetype>(results.size(), std::clamp(query.size, 0, SearchMaxSize));
}

HubRepositorySummary parseV4Result(const QJsonObject &object)
{
    HubRepositorySummary summary;
    // v4 names official images without namespace; an id or slug with one wins over a bare name.
    QString fullName = stringOf(object.value(u"name"));
    for (const auto key : {u"id", u"slug"}) {
        const QString other = stringOf(object.value(key));
        if (!fullName.contains(u'/') && other.contains(u'/'))
            fullName = other;
    }
    if (fullName.isEmpty())
        fullName = stringOf(object.value(u"slug"));
    setNames(summary, fullName);

    const QJsonValue publisher = object.value(u"publisher");
    summary.publisher = publisher.isObject() ? stringOf(publisher.toObject().value(u"name"))
                                             : stringOf(publisher);
    summary.shortDescription = stringOf(object.value(u"short_description"));
    summary.badge = badgeOf(stringOf(object.value(u"badge")));
    summary.starCount = knownCountOf(object.value(u"star_count"));
    summary.pullCount = knownCountOf(object.value(u"pull_count"));
    const QJsonObject logo = object.value(u"logo_url").toObject();
    summary.logoLarge = httpUrlOf(logo.value(u"large"));
    summary.logoSmall = httpUrlOf(logo.value(u"small"));
    summary.architectures = namesOf(object.value(u"architectures"));
    summary.operatingSystems = namesOf(object.value(u"operating_systems"));
    summary.updated = dateOf(object.value(u"updated_at"));
    return summary;
}

HubRepositorySummary parseV2Result(const QJsonObject &object)
{
    HubRepositorySummary summary;
    setNames(summary, stringOf(object.value(u"repo_name")));
    summary.publisher = stringOf(object.value(u"repo_owner"));
    if (summary.publisher.isEmpty())
        summary.publisher = summary.namespaceName;
    summary.shortDescription = stringOf(object.value(u"short_description"));
    summary.badge = boolOf(object.value(u"is_official")) ? HubBadge::Official : HubBadge::None;
    summary.starCount = knownCountOf(object.value(u"star_count"));
    summary.pullCount = knownCountOf(object.value(u"pull_count"));
    return summary;
}

} // namespace

namespace HubJson {

Result<HubSearchPage>
parseSearchV4(const QByteArray &body, const QUrl &url, const HubSearchQuery &query)
{
    const auto object = parseObject(body, url);
    if (!object)
        return fail(object.error());
    const auto results = resultsOf(*object, url);
    if (!results)
        return fail(results.error());
    HubSearchPage page;
    page.from = query.from;
    for (qsizetype i = 0; i < resultsAsked(*results, query); ++i) {
        if (!results->at(i).isObject())
            continue;
        HubRepositorySummary summary = parseV4Result(results->at(i).toObject());
        if (!summary.repositoryName.isEmpty())
            page.results.append(std::move(summary));
    }
    page.total = countOf(object->value(u"total")).value_or(query.from + page.results.size());
    return page;
}

Result<HubSearchPage>
parseSearchV2(const QByteArray &body, const QUrl &url, const HubSearchQuery &query, qsizetype skip)
{
    const auto object = parseObject(body, url);
    if (!object)
        return fail(object.error());
    const auto results = resultsOf(*object, url);
    if (!results)
        return fail(results.error());
    HubSearchPage page;
    page.from = query.from;
    page.usedLegacyApi = true;
    const bool filtered = query.official || query.verifiedPublisher || query.openSource;
    for (qsizetype i = std::max<qsizetype>(skip, 0); i < resultsAsked(*results, query); ++i) {
        if (!results->at(i).isObject())
            continue;
        HubRepositorySummary summary = parseV2Result(results->at(i).toObject());
        if (summary.repositoryName.isEmpty())
            continue;
        // v2 knows only is_official. Verified publisher and open source cannot be told apart
        // from unbadged repositories, so those filters match nothing here rather than
        // everything; the badges combine like v4's (any of them), so Official still shows.
        if (filtered && !(query.official && summary.badge == HubBadge::Official))
            continue;
        page.results.append(std::move(summary));
    }
    page.total = countOf(object->value(u"count")).value_or(query.from + page.results.size());
    // Filtered client-side, `count` overstates: v2 ranks official images first, so a page
    // without any means no more will come, and the total ends the listing there.
    if (filtered && page.results.isEmpty())
        page.total = query.from;
    return page;
}

Result<HubRepository> parseRepository(const QByteArray &body,
                                      const QUrl &url,
                                      const QString &namespaceName,
                                      const QString &name)
{
    const auto object = parseObject(body, url);
    if (!object)
        return fail(object.error());
    HubRepository repository;
    repository.namespaceName = stringOf(object->value(u"namespace"));
    if (repository.namespaceName.isEmpty())
        repository.namespaceName = namespaceName;
    repository.name = stringOf(object->value(u"name"));
    if (repository.name.isEmpty())
        repository.name = name;
    repository.description = stringOf(object->value(u"description"));
    repository.fullDescription = stringOf(object->value(u"full_description"));
    repository.starCount = knownCountOf(object->value(u"star_count"));
    repository.pullCount = knownCountOf(object->value(u"pull_count"));
    repository.lastUpdated = dateOf(object->value(u"last_updated"));
    repository.dateRegistered = dateOf(object->value(u"date_registered"));
    repository.isPrivate = boolOf(object->value(u"is_private"));
    // status is a number (1 = active) with a status_description on newer answers.
    repository.status = stringOf(object->value(u"status_description"));
    if (repository.status.isEmpty()) {
        const QJsonValue status = object->value(u"status");
        if (status.isString())
            repository.status = status.toString();
        else if (status.isDouble())
            repository.status = status.toInteger() == 1 ? QStringLiteral("active")
                                                        : QString::number(status.toInteger());
    }
    return repository;
}

namespace {

TagInfo parseTag(const QJsonObject &object)
{
    TagInfo tag;
    tag.name = stringOf(object.value(u"name"));
    tag.digest = digestOf(object.value(u"digest"));
    tag.size = countOf(object.value(u"full_size")).value_or(0); // 0: unknown
    tag.lastUpdated = dateOf(object.value(u"last_updated"));
    tag.status = stringOf(object.value(u"tag_status"));
    if (tag.status.isEmpty())
        tag.status = stringOf(object.value(u"status"));
    tag.mediaType = stringOf(object.value(u"media_type"));
    // content_type is usually the kind ("image"), a media type only on some answers.
    const QString contentType = stringOf(object.value(u"content_type"));
    if (tag.mediaType.isEmpty() && contentType.contains(u'/'))
        tag.mediaType = contentType;

    const QJsonArray images = object.value(u"images").toArray();
    tag.images.reserve(images.size());
    for (const QJsonValue &value : images) {
        if (!value.isObject())
            continue;
        const QJsonObject image = value.toObject();
        PlatformImage platformImage;
        platformImage.platform.os = stringOf(image.value(u"os"));
        platformImage.platform.architecture = stringOf(image.value(u"architecture"));
        platformImage.platform.variant = stringOf(image.value(u"variant"));
        platformImage.platform.osVersion = stringOf(image.value(u"os_version"));
        platformImage.digest = digestOf(image.value(u"digest"));
        platformImage.size = countOf(image.value(u"size")).value_or(0);
        platformImage.lastPushed = dateOf(image.value(u"last_pushed"));
        tag.images.append(std::move(platformImage));
    }
    return tag;
}

} // namespace

Result<TagsPage> parseTagsPage(const QByteArray &body, const QUrl &url)
{
    const auto object = parseObject(body, url);
    if (!object)
        return fail(object.error());
    const auto results = resultsOf(*object, url);
    if (!results)
        return fail(results.error());
    TagsPage page;
    page.count = countOf(object->value(u"count"));
    page.next = stringOf(object->value(u"next"));
    // Every page is asked for with TagsPageSize: more is not read.
    const qsizetype entries = std::min<qsizetype>(results->size(), TagsPageSize);
    page.tags.reserve(entries);
    for (qsizetype i = 0; i < entries; ++i) {
        if (!results->at(i).isObject())
            continue;
        TagInfo tag = parseTag(results->at(i).toObject());
        if (!tag.name.isEmpty())
            page.tags.append(std::move(tag));
    }
    return page;
}

QString hubMessage(const QByteArray &body)
{
    if (body.size() > 64 * 1024 || nestsDeeperThan(body, MaxJsonDepth))
        return {};
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QString message;
    for (const auto key : {u"message", u"detail", u"error"}) {
        message = stringOf(object.value(key));
        if (!message.isEmpty())
            break;
    }
    if (message.isEmpty()) {
        const QJsonArray errors = object.value(u"errors").toArray();
        if (!errors.isEmpty())
            message = stringOf(errors.first().toObject().value(u"message"));
    }
    return message.simplified().left(300);
}

} // namespace HubJson

namespace {

// X-RateLimit-* values may carry a policy suffix ("100;w=21600"), as on the registry.
std::optional<qint64> leadingInteger(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    qsizetype end = 0;
    while (end < trimmed.size() && end < 18 && trimmed.at(end) >= '0' && trimmed.at(end) <= '9')
        ++end;
    if (end == 0)
        return std::nullopt;
    return trimmed.left(end).toLongLong();
}

QString encodeQueryValue(const QString &value, const QByteArray &keep = {})
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value, keep));
}

// A tags page of the Hub is ~200 KB of JSON, milliseconds of parsing: on the thread pool, so that
// a repository of 100 pages neither stalls the GUI thread nor holds up the pages still arriving.
// `done` runs on context's thread, and never once context is gone.
void parseTagsPageLater(QObject *context,
                        QByteArray body,
                        QUrl url,
                        std::function<void(Result<HubJson::TagsPage>)> done)
{
    auto *watcher = new QFutureWatcher<Result<HubJson::TagsPage>>(context);
    QObject::connect(
        watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
            watcher->deleteLater();
            done(watcher->result());
        });
    watcher->setFuture(QtConcurrent::run([body = std::move(body), url = std::move(url)] {
        return HubJson::parseTagsPage(body, url);
    }));
}

} // namespace

struct HubClient::Request
{
    QUrl url;
    int serverRetries = 0;
    int rateLimitRetries = 0;
    Callback<QByteArray> done;
};

struct HubClient::TagsFetch
{
    QString namespaceName;
    QString name;
    bool legacy = false;
    Callback<QList<TagInfo>> done;
    std::function<void(int, int)> progress;

    QList<std::optional<QList<TagInfo>>> pages; // by page number - 1
    QString lastPageNext;                       // `next` of the highest page number seen
    int pageSize = TagsPageSize;
    int pageCount = 0; // 0 while unknown (following `next`)
    int nextPage = 2;
    int inFlight = 0;
    int pagesDone = 0;
    bool finished = false;
    QSet<QString> followed;
};

HubClient::HubClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_baseUrl(defaultBaseUrl())
{}

HubClient::~HubClient()
{
    for (QNetworkReply *reply : std::as_const(m_replies)) {
        // Disconnect first: abort() emits finished() synchronously, into a half-destroyed client.
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

QUrl HubClient::defaultBaseUrl()
{
    static const QUrl fallback(QStringLiteral("https://hub.docker.com"));
    const QString configured = qEnvironmentVariable("BERTH_HUB_URL").trimmed();
    if (configured.isEmpty())
        return fallback;
    const QUrl url(configured, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"https" && url.scheme() != u"http")) {
        qCWarning(lcHub) << "BERTH_HUB_URL is not an http(s) URL, using" << fallback << ":"
                         << configured;
        return fallback;
    }
    return url;
}

void HubClient::setRateLimitRetries(int retries, std::chrono::seconds maxRetryWait)
{
    m_rateLimitRetries = std::max(0, retries);
    m_maxRetryWait = std::max(std::chrono::seconds(0), maxRetryWait);
}

template<typename T>
void HubClient::failLater(Callback<T> done, Error error)
{
    // Callbacks never run inside the call that started them, errors included.
    QTimer::singleShot(0, this, [done = std::move(done), error = std::move(error)] {
        done(std::unexpected(error));
    });
}

QUrl HubClient::endpoint(const QString &path, const QString &encodedQuery) const
{
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path);
    url.setQuery(encodedQuery.isEmpty() ? QString() : encodedQuery, QUrl::StrictMode);
    url.setFragment(QString());
    return url;
}

// Paging links are followed only on the configured Hub: one naming another origin (the public Hub
// behind a mirror, a forged answer) is taken as a path on ours.
std::optional<QUrl> HubClient::pagingUrl(const QString &link) const
{
    if (link.isEmpty())
        return std::nullopt;
    const QUrl relative(link, QUrl::StrictMode);
    if (!relative.isValid())
        return std::nullopt;
    QUrl url = m_baseUrl.resolved(relative);
    if (url.scheme() != m_baseUrl.scheme() || url.host() != m_baseUrl.host()
        || url.port() != m_baseUrl.port()) {
        QUrl local = m_baseUrl;
        local.setPath(url.path());
        local.setQuery(url.query(QUrl::FullyEncoded), QUrl::StrictMode);
        url = local;
    }
    url.setFragment(QString());
    return url;
}

void HubClient::getJson(const QUrl &url, int attempt, Callback<QByteArray> done)
{
    auto request = std::make_shared<Request>();
    request->url = url;
    request->serverRetries = attempt;
    request->done = std::move(done);
    send(std::move(request));
}

void HubClient::send(std::shared_ptr<Request> request)
{
    if (!m_network) {
        failLater(std::move(request->done),
                  Error::make(Error::Kind::Network, tr("no network access for Docker Hub")));
        return;
    }
    QNetworkRequest networkRequest(request->url);
    networkRequest.setRawHeader("Accept", "application/json");
    networkRequest.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Berth/" BERTH_VERSION));
    networkRequest.setTransferTimeout(TransferTimeoutMs);
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                QNetworkRequest::NoLessSafeRedirectPolicy);
    qCDebug(lcHub) << "GET" << request->url.toDisplayString();
    if (const auto problem = hostTlsProblem(request->url)) {
        failLater(std::move(request->done), *problem);
        return;
    }

    QNetworkReply *reply = m_network->get(networkRequest);
    m_replies.insert(reply);
    // Refuse oversized answers as they arrive rather than buffering them whole first.
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64 total) {
        if (received > MaxBodySize || total > MaxBodySize) {
            reply->setProperty("berthTooLarge", true);
            if (reply->isRunning())
                reply->abort();
        }
    });
    // A Hub that drips a byte now and then never trips the transfer timeout.
    QTimer::singleShot(m_requestDeadline, reply, [reply] {
        if (!reply->isRunning())
            return;
        reply->setProperty("berthDeadline", true);
        reply->abort();
    });
    recordTlsErrors(reply);
    connect(reply, &QNetworkReply::finished, this, [this, request, reply] {
        m_replies.remove(reply);
        reply->deleteLater();
        handleReply(request, reply);
    });
}

void HubClient::handleReply(std::shared_ptr<Request> request, QNetworkReply *reply)
{
    recordRateLimit(reply);
    const QUrl &url = request->url;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->property("berthTooLarge").toBool())
        return request->done(fail(invalidAnswer(
            url, tr("the answer is larger than %1 MiB").arg(MaxBodySize / (1024 * 1024)))));
    // A proxy's 407 carries a status too: it is the proxy's answer, not the Hub's.
    if (const auto proxied = attributeToProxy(reply->error(), url); isProxyError(proxied))
        return request->done(fail(proxyError(proxied, reply->errorString(), url)));
    if (status == 0 || (reply->error() != QNetworkReply::NoError && status < 400))
        return request->done(fail(transportError(url, reply)));
    if (status == 429)
        return rateLimited(std::move(request), reply);
    if (status >= 500)
        return serverFailed(std::move(request), status);
    const QByteArray body = reply->readAll();
    if (status < 200 || status >= 300)
        return request->done(fail(refusal(url, status, body)));
    request->done(body);
}

Error HubClient::transportError(const QUrl &url, QNetworkReply *reply) const
{
    const QString host = url.host();
    // A certificate problem, or a TLS alert ending the connection after the handshake.
    if (auto tls = replyTlsFailure(reply))
        return *tls;
    switch (reply->error()) {
    case QNetworkReply::SslHandshakeFailedError:
        return Error::make(
            Error::Kind::Tls,
            tr("secure connection to Docker Hub at %1 failed: %2").arg(host, reply->errorString()));
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError: {
        // We abort only for oversized bodies (handled before) and at the deadline; otherwise this
        // is the transfer timeout.
        const bool deadline = reply->property("berthDeadline").toBool();
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(
            deadline ? m_requestDeadline : std::chrono::milliseconds(TransferTimeoutMs));
        return Error::make(
            Error::Kind::Network,
            tr("Docker Hub at %1 did not answer within %2 seconds").arg(host).arg(seconds.count()));
    }
    default:
        return Error::make(
            Error::Kind::Network,
            tr("could not reach Docker Hub at %1: %2").arg(host, reply->errorString()));
    }
}

void HubClient::rateLimited(std::shared_ptr<Request> request, QNetworkReply *reply)
{
    const auto retryAfter = parseRetryAfter(reply->rawHeader("Retry-After"));
    // Without Retry-After, wait 1, 2, 4… seconds.
    const std::chrono::seconds wait
        = retryAfter.value_or(std::chrono::seconds(1 << std::min(request->rateLimitRetries, 5)));
    // Retrying before the Hub said to only spends another request of the quota: when the wait is
    // longer than we may wait, fail now and let the caller show when to come back.
    if (request->rateLimitRetries < m_rateLimitRetries && wait <= m_maxRetryWait) {
        ++request->rateLimitRetries;
        qCDebug(lcHub) << "rate limited, retrying in" << wait.count()
                       << "s:" << request->url.path();
        QTimer::singleShot(wait, this, [this, request] { send(request); });
        return;
    }
    Error error
        = retryAfter ? Error::make(
              Error::Kind::RateLimited,
              tr("Docker Hub rate limit reached; try again in %n seconds",
                 nullptr,
                 int(std::min<qint64>(retryAfter->count(), std::numeric_limits<int>::max()))))
                     : Error::make(Error::Kind::RateLimited,
                                   tr("Docker Hub rate limit reached; try again later"));
    error.httpStatus = 429;
    error.retryAfter = retryAfter;
    request->done(fail(std::move(error)));
}

void HubClient::serverFailed(std::shared_ptr<Request> request, int status)
{
    const QUrl &url = request->url;
    if (request->serverRetries < int(std::size(ServerRetryDelays))) {
        const auto delay = ServerRetryDelays[request->serverRetries++];
        qCDebug(lcHub) << "HTTP" << status << "retrying in" << delay.count() << "ms:" << url.path();
        QTimer::singleShot(delay, this, [this, request] { send(request); });
        return;
    }
    Error error = Error::make(Error::Kind::Server,
                              tr("Docker Hub failed to answer %1 (HTTP %2); try again later")
                                  .arg(url.path())
                                  .arg(status));
    error.httpStatus = status;
    request->done(fail(std::move(error)));
}

Error HubClient::refusal(const QUrl &url, int status, const QByteArray &body)
{
    const QString detail = HubJson::hubMessage(body);
    QString message = tr("Docker Hub refused %1 (HTTP %2)").arg(url.path()).arg(status);
    if (!detail.isEmpty())
        message += u": " + detail;
    Error error = Error::make(errorKindForHttpStatus(status, HubReading), message);
    error.httpStatus = status;
    return error;
}

void HubClient::recordRateLimit(QNetworkReply *reply)
{
    const QByteArray limit = reply->rawHeader("X-RateLimit-Limit");
    const QByteArray remaining = reply->rawHeader("X-RateLimit-Remaining");
    const QByteArray reset = reply->rawHeader("X-RateLimit-Reset");
    if (limit.isEmpty() && remaining.isEmpty() && reset.isEmpty())
        return;
    const auto toInt = [](const QByteArray &value) {
        const auto number = leadingInteger(value);
        return number ? int(std::min<qint64>(*number, std::numeric_limits<int>::max())) : -1;
    };
    HubRateLimit rateLimit;
    rateLimit.limit = toInt(limit);
    rateLimit.remaining = toInt(remaining);
    if (const auto seconds = leadingInteger(reset)) {
        // Unix seconds; a small number can only be a delay (some proxies send that form).
        constexpr qint64 year2001 = 978307200;
        rateLimit.reset = *seconds >= year2001 ? QDateTime::fromSecsSinceEpoch(*seconds, Qt::UTC)
                                               : QDateTime::currentDateTimeUtc().addSecs(*seconds);
    }
    m_rateLimit = rateLimit;
    emit rateLimitChanged(m_rateLimit);
}

// --- search -------------------------------------------------------------------------------------

void HubClient::preconnect()
{
    if (!m_network || !m_baseUrl.isValid())
        return;
    const QString host = m_baseUrl.host();
    if (m_baseUrl.scheme() == u"https") {
        // Qt keeps a connection opened without HTTP/2 in ALPN apart from the requests that allow
        // HTTP/2 (all of the Hub's): the search would open another.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setAllowedNextProtocols(
            {QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
        m_network->connectToHostEncrypted(host, quint16(m_baseUrl.port(443)), tls);
    } else
        m_network->connectToHost(host, quint16(m_baseUrl.port(80)));
}

void HubClient::search(const HubSearchQuery &query, Callback<HubSearchPage> done)
{
    HubSearchQuery q = query;
    q.from = std::max(0, q.from);
    q.size = std::clamp(q.size, 1, SearchMaxSize);
    if (q.from >= SearchMaxWindow) {
        failLater(
            std::move(done),
            Error::make(
                Error::Kind::InvalidArgument,
                tr("Docker Hub search shows at most the first %1 results").arg(SearchMaxWindow)));
        return;
    }
    q.size = std::min(q.size, SearchMaxWindow - q.from);

    if (m_v4MissingAt.isValid() && m_v4MissingAt == m_baseUrl) {
        searchLegacy(q, std::move(done));
        return;
    }

    QStringList badges;
    if (q.official)
        badges.append(QStringLiteral("official"));
    if (q.verifiedPublisher)
        badges.append(QStringLiteral("verified_publisher"));
    if (q.openSource)
        badges.append(QStringLiteral("open_source"));

    QString encoded = u"query=" + encodeQueryValue(q.text) + u"&from=" + QString::number(q.from)
                      + u"&size=" + QString::number(q.size);
    if (!badges.isEmpty())
        encoded += u"&badges=" + encodeQueryValue(badges.join(u','), ",");
    encoded += u"&type=image";
    switch (q.sort) {
    case HubSearchQuery::Sort::PullCount:
        encoded += u"&sort=pull_count&order=desc";
        break;
    case HubSearchQuery::Sort::Updated:
        encoded += u"&sort=updated_at&order=desc";
        break;
    case HubSearchQuery::Sort::BestMatch:
        break;
    }

    const QUrl url = endpoint(QStringLiteral("/api/search/v4"), encoded);
    getJson(url, 0, [this, q, url, done = std::move(done)](Result<QByteArray> body) {
        if (!body) {
            const int status = body.error().httpStatus;
            if (status == 404 || status == 410) {
                qCInfo(lcHub) << "search v4 is not available at" << m_baseUrl << "- using v2";
                m_v4MissingAt = m_baseUrl;
                searchLegacy(q, done);
                return;
            }
            done(fail(body.error()));
            return;
        }
        done(HubJson::parseSearchV4(*body, url, q));
    });
}

void HubClient::searchLegacy(const HubSearchQuery &query, Callback<HubSearchPage> done)
{
    // v2 pages are fixed windows: ask for the one holding `from` and drop what precedes it.
    const int page = query.from / query.size + 1;
    const int skip = query.from - (page - 1) * query.size;
    const QString encoded = u"query=" + encodeQueryValue(query.text) + u"&page="
                            + QString::number(page) + u"&page_size=" + QString::number(query.size);
    const QUrl url = endpoint(QStringLiteral("/v2/search/repositories/"), encoded);

    getJson(url, 0, [query, skip, url, done = std::move(done)](Result<QByteArray> body) {
        if (!body) {
            done(fail(body.error()));
            return;
        }
        done(HubJson::parseSearchV2(*body, url, query, skip));
    });
}

// --- repository ---------------------------------------------------------------------------------

void HubClient::repository(const QString &namespaceName,
                           const QString &name,
                           Callback<HubRepository> done)
{
    if (!isValidNameComponent(namespaceName) || !isValidNameComponent(name)) {
        failLater(std::move(done),
                  Error::make(Error::Kind::InvalidArgument,
                              tr("'%1' is not a valid Docker Hub repository name")
                                  .arg(namespaceName + u'/' + name)));
        return;
    }
    fetchRepository(namespaceName, name, false, std::move(done));
}

void HubClient::fetchRepository(const QString &namespaceName,
                                const QString &name,
                                bool legacy,
                                Callback<HubRepository> done)
{
    const QUrl url = legacy
                         ? endpoint(u"/v2/repositories/" + namespaceName + u'/' + name + u'/')
                         : endpoint(u"/v2/namespaces/" + namespaceName + u"/repositories/" + name);
    getJson(
        url,
        0,
        [this, namespaceName, name, legacy, url, done = std::move(done)](Result<QByteArray> body) {
            if (!body) {
                if (body.error().kind == Error::Kind::NotFound) {
                    if (!legacy) {
                        fetchRepository(namespaceName, name, true, done);
                        return;
                    }
                    Error error = Error::make(Error::Kind::NotFound,
                                              tr("repository '%1' was not found on Docker Hub")
                                                  .arg(displayName(namespaceName, name)));
                    error.httpStatus = body.error().httpStatus;
                    done(fail(std::move(error)));
                    return;
                }
                done(fail(body.error()));
                return;
            }
            done(HubJson::parseRepository(*body, url, namespaceName, name));
        });
}

// --- tags ---------------------------------------------------------------------------------------

void HubClient::tags(const QString &namespaceName,
                     const QString &name,
                     Callback<QList<TagInfo>> done,
                     std::function<void(int, int)> progress)
{
    if (!isValidNameComponent(namespaceName) || !isValidNameComponent(name)) {
        failLater(std::move(done),
                  Error::make(Error::Kind::InvalidArgument,
                              tr("'%1' is not a valid Docker Hub repository name")
                                  .arg(namespaceName + u'/' + name)));
        return;
    }
    auto fetch = std::make_shared<TagsFetch>();
    fetch->namespaceName = namespaceName;
    fetch->name = name;
    fetch->done = std::move(done);
    fetch->progress = std::move(progress);
    fetchFirstTagsPage(std::move(fetch));
}

QUrl HubClient::tagsPageUrl(const TagsFetch &fetch, int page) const
{
    const QString path
        = fetch.legacy
              ? QString(u"/v2/repositories/" + fetch.namespaceName + u'/' + fetch.name + u"/tags")
              : QString(u"/v2/namespaces/" + fetch.namespaceName + u"/repositories/" + fetch.name
                        + u"/tags");
    return endpoint(
        path, u"page_size=" + QString::number(TagsPageSize) + u"&page=" + QString::number(page));
}

void HubClient::fetchFirstTagsPage(std::shared_ptr<TagsFetch> fetch)
{
    const QUrl url = tagsPageUrl(*fetch, 1);
    getJson(url, 0, [this, fetch, url](Result<QByteArray> body) {
        if (!body) {
            if (body.error().kind == Error::Kind::NotFound) {
                if (!fetch->legacy) {
                    fetch->legacy = true;
                    fetchFirstTagsPage(fetch);
                    return;
                }
                Error error = Error::make(Error::Kind::NotFound,
                                          tr("repository '%1' was not found on Docker Hub")
                                              .arg(displayName(fetch->namespaceName, fetch->name)));
                error.httpStatus = body.error().httpStatus;
                fetch->done(fail(std::move(error)));
                return;
            }
            fetch->done(fail(body.error()));
            return;
        }
        parseTagsPageLater(this, std::move(*body), url, [this, fetch](auto page) {
            firstTagsPageParsed(fetch, std::move(page));
        });
    });
}

void HubClient::firstTagsPageParsed(std::shared_ptr<TagsFetch> fetch,
                                    Result<HubJson::TagsPage> page)
{
    if (!page) {
        fetch->done(fail(page.error()));
        return;
    }
    fetch->pages.append(std::move(page->tags));
    fetch->pagesDone = 1;
    fetch->lastPageNext = page->next;
    const qsizetype firstSize = fetch->pages.first()->size();

    // With the total known, every page can be asked for at once. The server may page smaller
    // than asked: the first page's length, when a next page exists, is the real page size.
    if (page->count && firstSize > 0) {
        if (firstSize < TagsPageSize && !page->next.isEmpty())
            fetch->pageSize = int(firstSize);
        const qint64 pages = (*page->count + fetch->pageSize - 1) / fetch->pageSize;
        fetch->pageCount = int(std::clamp<qint64>(pages, 1, MaxTagsPages));
        fetch->pages.resize(fetch->pageCount);
        if (fetch->progress)
            fetch->progress(1, fetch->pageCount);
        if (fetch->pageCount == 1) {
            finishTags(fetch);
            return;
        }
        fetchMoreTagsPages(fetch);
        return;
    }
    if (fetch->progress)
        fetch->progress(1, 0);
    if (const auto next = pagingUrl(page->next)) {
        followTagsNext(fetch, *next);
        return;
    }
    finishTags(fetch);
}

void HubClient::fetchMoreTagsPages(std::shared_ptr<TagsFetch> fetch)
{
    while (!fetch->finished && fetch->inFlight < MaxPagesInFlight
           && fetch->nextPage <= fetch->pageCount) {
        const int pageNumber = fetch->nextPage++;
        ++fetch->inFlight;
        const QUrl url = tagsPageUrl(*fetch, pageNumber);
        getJson(url, 0, [this, fetch, url, pageNumber](Result<QByteArray> body) {
            --fetch->inFlight;
            if (fetch->finished)
                return;
            if (!body) {
                if (body.error().kind != Error::Kind::NotFound) {
                    fetch->finished = true;
                    fetch->done(fail(body.error()));
                    return;
                }
                // A page past the end answers 404 when tags were deleted since the count: no tags.
                tagsPageArrived(fetch, pageNumber, {}, {});
                return;
            }
            // The next page is on its way while this one is parsed.
            fetchMoreTagsPages(fetch);
            parseTagsPageLater(this,
                               std::move(*body),
                               url,
                               [this, fetch, pageNumber](Result<HubJson::TagsPage> page) {
                                   if (fetch->finished)
                                       return;
                                   if (!page) {
                                       fetch->finished = true;
                                       fetch->done(fail(page.error()));
                                       return;
                                   }
                                   tagsPageArrived(
                                       fetch, pageNumber, std::move(page->tags), page->next);
                               });
        });
    }
}

void HubClient::tagsPageArrived(std::shared_ptr<TagsFetch> fetch,
                                int pageNumber,
                                QList<TagInfo> tags,
                                const QString &next)
{
    fetch->pages[pageNumber - 1] = std::move(tags);
    if (pageNumber == fetch->pageCount)
        fetch->lastPageNext = next;
    ++fetch->pagesDone;
    if (fetch->progress)
        fetch->progress(fetch->pagesDone, fetch->pageCount);
    if (fetch->pagesDone < fetch->pageCount) {
        fetchMoreTagsPages(fetch);
        return;
    }
    // Tags pushed while we paged push the count past our last page: follow on from there.
    if (const auto more = pagingUrl(fetch->lastPageNext); more && fetch->pageCount < MaxTagsPages) {
        followTagsNext(fetch, *more);
        return;
    }
    finishTags(fetch);
}

void HubClient::followTagsNext(std::shared_ptr<TagsFetch> fetch, const QUrl &url)
{
    const QString key = url.toString(QUrl::FullyEncoded);
    if (fetch->pages.size() >= MaxTagsPages || fetch->followed.contains(key)) {
        qCWarning(lcHub) << "stopped following tag pages at" << url.toDisplayString();
        finishTags(fetch);
        return;
    }
    fetch->followed.insert(key);
    getJson(url, 0, [this, fetch, url](Result<QByteArray> body) {
        if (!body) {
            fetch->done(fail(body.error()));
            return;
        }
        parseTagsPageLater(this, std::move(*body), url, [this, fetch](auto page) {
            followedTagsPageParsed(fetch, std::move(page));
        });
    });
}

void HubClient::followedTagsPageParsed(std::shared_ptr<TagsFetch> fetch,
                                       Result<HubJson::TagsPage> page)
{
    if (!page) {
        fetch->done(fail(page.error()));
        return;
    }
    fetch->pages.append(std::move(page->tags));
    ++fetch->pagesDone;
    if (fetch->progress) {
        const int known = int(fetch->pages.size());
        fetch->progress(fetch->pagesDone, fetch->pageCount > 0 ? known : 0);
    }
    if (const auto next = pagingUrl(page->next)) {
        followTagsNext(fetch, *next);
        return;
    }
    finishTags(fetch);
}

void HubClient::finishTags(std::shared_ptr<TagsFetch> fetch)
{
    fetch->finished = true;
    QList<TagInfo> all;
    qsizetype total = 0;
    for (const auto &page : std::as_const(fetch->pages))
        total += page ? page->size() : 0;
    all.reserve(total);
    // Pages shift while tags are pushed: a tag may show up on two of them. The first one wins.
    QSet<QString> seen;
    seen.reserve(total);
    for (auto &page : fetch->pages) {
        if (!page)
            continue;
        for (TagInfo &tag : *page) {
            if (seen.contains(tag.name))
                continue;
            seen.insert(tag.name);
            all.append(std::move(tag));
        }
    }
    fetch->pages.clear();
    fetch->done(std::move(all));
}

// --- recent tags --------------------------------------------------------------------------------

void HubClient::recentTags(const QString &namespaceName,
                           const QString &name,
                           int count,
                           Callback<QList<TagInfo>> done)
{
    if (!isValidNameComponent(namespaceName) || !isValidNameComponent(name)) {
        failLater(std::move(done),
                  Error::make(Error::Kind::InvalidArgument,
                              tr("'%1' is not a valid Docker Hub repository name")
                                  .arg(namespaceName + u'/' + name)));
        return;
    }
    fetchRecentTags(
        namespaceName, name, std::clamp(count, 1, TagsPageSize), false, std::move(done));
}

void HubClient::fetchRecentTags(const QString &namespaceName,
                                const QString &name,
                                int count,
                                bool legacy,
                                Callback<QList<TagInfo>> done)
{
    const QString path
        = legacy
              ? QString(u"/v2/repositories/" + namespaceName + u'/' + name + u"/tags")
              : QString(u"/v2/namespaces/" + namespaceName + u"/repositories/" + name + u"/tags");
    const QUrl url
        = endpoint(path, u"page_size=" + QString::number(count) + u"&page=1&ordering=last_updated");
    getJson(url, 0, [this, namespaceName, name, count, legacy, url, done](Result<QByteArray> body) {
        if (!body && body.error().kind == Error::Kind::NotFound) {
            if (!legacy)
                return fetchRecentTags(namespaceName, name, count, true, done);
            Error error = Error::make(Error::Kind::NotFound,
                                      tr("repository '%1' was not found on Docker Hub")
                                          .arg(displayName(namespaceName, name)));
            error.httpStatus = body.error().httpStatus;
            return done(fail(std::move(error)));
        }
        if (!body)
            return done(fail(body.error()));
        parseTagsPageLater(this, std::move(*body), url, [count, done](auto page) {
            if (!page)
                return done(fail(page.error()));
            QList<TagInfo> tags = std::move(page->tags);
            // Newest first whatever order the server kept; a tag never updated goes last.
            std::stable_sort(tags.begin(), tags.end(), [](const TagInfo &a, const TagInfo &b) {
                return a.lastUpdated.isValid()
                       && (!b.lastUpdated.isValid() || a.lastUpdated > b.lastUpdated);
            });
            if (tags.size() > count)
                tags.resize(count);
            done(std::move(tags));
        });
    });
}

} // namespace Berth
