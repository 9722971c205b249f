#pragma once

#include "common/result.h"
#include "credentials/credential.h"
#include "taginfo.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace Berth {

enum class HubBadge { None, Official, VerifiedPublisher, OpenSource };

// A star or pull count the Hub did not give, or gave as no count can be (negative, not finite,
// past 2^53, not a number): shown as unknown, never as 0 or some maximum.
inline constexpr qint64 UnknownCount = -1;

namespace HubJson {
struct TagsPage;
}

struct HubSearchQuery
{
    enum class Sort { BestMatch, PullCount, Updated };

    QString text;
    bool official = false;
    bool verifiedPublisher = false;
    bool openSource = false;
    Sort sort = Sort::BestMatch;
    int from = 0;  // offset of the first result (v4: from + size <= 2500)
    int size = 25; // page size (v4: <= 100)
};

struct HubRepositorySummary
{
    QString name;           // "node" for official images, else "namespace/name"
    QString namespaceName;  // "library" for official images
    QString repositoryName; // "node"
    QString publisher;
    QString shortDescription;
    HubBadge badge = HubBadge::None;
    qint64 starCount = UnknownCount;
    qint64 pullCount = UnknownCount; // 64-bit: official images are past 2^31
    QUrl logoSmall;
    QUrl logoLarge;
    QStringList architectures;
    QStringList operatingSystems;
    QDateTime updated;
};

struct HubSearchPage
{
    qint64 total = 0; // without a usable total from the Hub, where this page ends
    int from = 0;
    QList<HubRepositorySummary> results;
    bool usedLegacyApi = false; // true when v4 was not there and v2 answered
};

struct HubRepository
{
    QString namespaceName;
    QString name;
    QString description;
    QString fullDescription; // Markdown
    qint64 starCount = UnknownCount;
    qint64 pullCount = UnknownCount;
    QDateTime lastUpdated;
    QDateTime dateRegistered;
    bool isPrivate = false;
    QString status;
};

// The Hub's X-RateLimit-* headers from the last answer, when it sent them.
struct HubRateLimit
{
    int limit = -1;
    int remaining = -1;
    QDateTime reset;
    bool isKnown() const { return limit >= 0 || remaining >= 0; }
};

// Docker Hub's web API (not the registry): search, repository pages, tags with digests.
// Asynchronous on the caller's QNetworkAccessManager; callbacks run on its thread.
// The base URL is https://hub.docker.com unless BERTH_HUB_URL or setBaseUrl() says otherwise.
class HubClient final : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit HubClient(QNetworkAccessManager *network, QObject *parent = nullptr);
    // Aborts what is in flight; callbacks of unfinished calls are dropped, never called.
    ~HubClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    static QUrl defaultBaseUrl(); // BERTH_HUB_URL, else https://hub.docker.com

    // v4 search with badges; falls back to v2 when v4 answers 404 (filters then apply client-side).
    void search(const HubSearchQuery &query, Callback<HubSearchPage> done);
    // Opens the connection the next request will take (TCP, TLS) while the user is still typing:
    // the search that follows the pause then costs one round trip instead of three or four.
    void preconnect();
    // namespace "library" for official images.
    void
    repository(const QString &namespaceName, const QString &name, Callback<HubRepository> done);
    // Every tag, following paging; pages after the first are fetched concurrently once the count is
    // known. progress(pagesDone, pagesTotal) is called as pages arrive.
    void tags(const QString &namespaceName,
              const QString &name,
              Callback<QList<TagInfo>> done,
              std::function<void(int, int)> progress = {});
    // The `count` most recently updated tags (at most 100), newest first: one request, for
    // choosing a tag without listing thousands of them.
    void recentTags(const QString &namespaceName,
                    const QString &name,
                    int count,
                    Callback<QList<TagInfo>> done);

    // Docker Hub's account API (hubtagdelete.cpp). The registry API cannot delete on the Hub; its
    // web API can, one tag at a time, with a JWT from POST /v2/users/login (a personal access
    // token works as the password). The JWT is kept for the account until the Hub refuses it.
    void deleteTag(const QString &namespaceName,
                   const QString &name,
                   const QString &tag,
                   const Credential &credential,
                   Callback<void> done);

    HubRateLimit lastRateLimit() const { return m_rateLimit; }
    // How many 429 answers to wait out (Retry-After, capped at maxRetryWait) before failing.
    void setRateLimitRetries(int retries, std::chrono::seconds maxRetryWait);
    // A request still running after this long fails, however steadily its bytes trickle in
    // (tests shorten it).
    void setRequestDeadline(std::chrono::milliseconds deadline) { m_requestDeadline = deadline; }

signals:
    void rateLimitChanged(const Berth::HubRateLimit &limit);

private:
    struct Request;
    struct TagsFetch;

    // attempt: how many 5xx answers were already retried for this URL.
    void getJson(const QUrl &url, int attempt, Callback<QByteArray> done);
    void send(std::shared_ptr<Request> request);
    void handleReply(std::shared_ptr<Request> request, QNetworkReply *reply);
    Error transportError(const QUrl &url, QNetworkReply *reply) const;
    void rateLimited(std::shared_ptr<Request> request, QNetworkReply *reply);
    void serverFailed(std::shared_ptr<Request> request, int status);
    static Error refusal(const QUrl &url, int status, const QByteArray &body);
    void recordRateLimit(QNetworkReply *reply);

    void searchLegacy(const HubSearchQuery &query, Callback<HubSearchPage> done);
    void fetchRepository(const QString &namespaceName,
                         const QString &name,
                         bool legacy,
                         Callback<HubRepository> done);
    void fetchFirstTagsPage(std::shared_ptr<TagsFetch> fetch);
    void firstTagsPageParsed(std::shared_ptr<TagsFetch> fetch, Result<HubJson::TagsPage> page);
    void fetchMoreTagsPages(std::shared_ptr<TagsFetch> fetch);
    void tagsPageArrived(std::shared_ptr<TagsFetch> fetch,
                         int pageNumber,
                         QList<TagInfo> tags,
                         const QString &next);
    void followTagsNext(std::shared_ptr<TagsFetch> fetch, const QUrl &url);
    void followedTagsPageParsed(std::shared_ptr<TagsFetch> fetch, Result<HubJson::TagsPage> page);
    void finishTags(std::shared_ptr<TagsFetch> fetch);
    void fetchRecentTags(const QString &namespaceName,
                         const QString &name,
                         int count,
                         bool legacy,
                         Callback<QList<TagInfo>> done);
    QUrl tagsPageUrl(const TagsFetch &fetch, int page) const;

    struct AccountCall;
    void login(const Credential &credential, Callback<QByteArray> done);
    void sendAccountCall(std::shared_ptr<AccountCall> call);
    void accountCallAnswered(std::shared_ptr<AccountCall> call, QNetworkReply *reply);
    void deleteTagWithToken(const QString &path,
                            const QString &tag,
                            const Credential &credential,
                            bool freshToken,
                            Callback<void> done);

    QUrl endpoint(const QString &path, const QString &encodedQuery = {}) const;
    std::optional<QUrl> pagingUrl(const QString &link) const;
    template<typename T>
    void failLater(Callback<T> done, Error error);

    QPointer<QNetworkAccessManager> m_network;
    QUrl m_baseUrl;
    HubRateLimit m_rateLimit;
    int m_rateLimitRetries = 2;
    std::chrono::seconds m_maxRetryWait{30};
    std::chrono::milliseconds m_requestDeadline{120000};
    QSet<QNetworkReply *> m_replies;
    QUrl m_v4MissingAt; // the base URL whose v4 search answered 404: go to v2 straight away

    // The account API's JWT and whose it is.
    QString m_accountUser;
    QByteArray m_accountToken;
};

// The Hub's JSON answers read into values: pure functions, exposed for the tests and the fuzz
// targets (fuzz/). Each refuses what is not a JSON object of the expected shape, or nests too
// deeply, with a message naming `url`; unknown or ill-typed fields are left empty, never trusted.
namespace HubJson {

struct TagsPage
{
    std::optional<qint64> count;
    QList<TagInfo> tags;
    QString next;
};

// Reads at most query.size results (v4 pages hold at most 100).
Result<HubSearchPage>
parseSearchV4(const QByteArray &body, const QUrl &url, const HubSearchQuery &query);
// skip: results of the fixed v2 page that precede query.from; reads at most query.size.
Result<HubSearchPage>
parseSearchV2(const QByteArray &body, const QUrl &url, const HubSearchQuery &query, qsizetype skip);
Result<HubRepository> parseRepository(const QByteArray &body,
                                      const QUrl &url,
                                      const QString &namespaceName,
                                      const QString &name);
// Reads at most the 100 tags HubClient asks for per page.
Result<TagsPage> parseTagsPage(const QByteArray &body, const QUrl &url);
// The Hub's own explanation of a refusal ("message", "detail", "error"), or "".
QString hubMessage(const QByteArray &body);

} // namespace HubJson

} // namespace Berth
