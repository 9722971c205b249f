// Docker Hub's JSON answers: search pages (v4 and the legacy v2), repository pages, tag pages and
// error bodies, all from the same bytes.

#include "fuzzsupport.h"

#include "registry/hubclient.h"

#include <QUrl>

using namespace Berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    static const QUrl url(QStringLiteral("https://hub.example/v2/fuzz"));
    const QByteArray body = BerthFuzz::bytes(data, size);

    HubSearchQuery query;
    if (auto page = HubJson::parseSearchV4(body, url, query)) {
        if (page->results.size() > query.size)
            BerthFuzz::broken("more search results than asked for");
    }
    query.from = 30;
    query.official = size % 2 == 1;
    (void)HubJson::parseSearchV2(body, url, query, 5);
    (void)HubJson::parseRepository(body, url, QStringLiteral("library"), QStringLiteral("node"));
    if (auto page = HubJson::parseTagsPage(body, url)) {
        if (page->count && *page->count < 0)
            BerthFuzz::broken("a negative tag count");
    }
    if (HubJson::hubMessage(body).size() > 300)
        BerthFuzz::broken("hubMessage() longer than its bound");
    return 0;
}
