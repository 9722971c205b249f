#pragma once

// The libcurl side of an exchange, shared by performCurl and CurlTransfers; not for other users.

#include "curlexchange.h"

#include <QElapsedTimer>

#include <curl/curl.h>

#include <atomic>

class QObject;

namespace Berth {

// progress, called from a transfer thread, passed on to receiver's thread at most every 50 ms.
std::function<void(const CurlProgress &)>
throttledProgress(QObject *receiver, std::function<void(const CurlProgress &)> progress);

// One CurlRequest on one curl handle, on the thread that runs it: the options the request asks
// for, the callbacks curl makes while it runs, and what came of it.
class CurlExchange
{
public:
    using Progress = std::function<void(const CurlProgress &)>;

    // progress runs on the transfer thread, after each check of curl's progress call.
    CurlExchange(CurlRequest request, CancelToken cancel, Progress progress);
    CurlExchange(const CurlExchange &) = delete;
    CurlExchange &operator=(const CurlExchange &) = delete;

    // Runs the exchange to its end on handle (fresh, or reset by curl_easy_reset); share, when
    // given, holds the DNS and TLS session caches. The request's body is released on this thread.
    CurlOutcome run(CURL *handle, CURLSH *share);
    // The same in two steps, for a multi handle that drives many exchanges on one thread:
    // prepare sets the handle up (false: the exchange ended before it began, take the outcome
    // at once), complete collects what curl's code says and releases the request's body.
    bool prepare(CURL *handle, CURLSH *share);
    CurlOutcome complete(CURL *handle, CURLcode code);
    // Whether the caller gave up (cancel token or abort()).
    bool stopping() const { return m_aborted.load() || m_cancel.isCancelled(); }
    // From any thread: the exchange ends at curl's next callback, as cancelled.
    void abort() { m_aborted = true; }
    // Whether the handle's connection may serve the next exchange (one that ended early may be in
    // an unknown state).
    bool leftHandleReusable() const { return m_code == CURLE_OK; }

private:
    Status setConnection(CURL *curl, CURLSH *share);
    void setTimeouts(CURL *curl);
    curl_slist *setHeaders(CURL *curl);
    void setBody(CURL *curl);
    void setCallbacks(CURL *curl);
    void collect(CURL *curl);

    bool success() const { return m_outcome.isSuccess(); }
    size_t onHeader(const char *data, size_t size);
    size_t onBody(const char *data, size_t size);
    size_t onSend(char *buffer, size_t size);
    int onSeek(curl_off_t offset, int origin);
    int onProgress(const CurlProgress &now);
    bool belowMinimumRate(curl_off_t moved);

    CurlRequest m_request;
    CancelToken m_cancel;
    Progress m_progress;
    std::atomic<bool> m_aborted{false};
    CurlOutcome m_outcome;
    CURLcode m_code = CURLE_OK;
    bool m_headDone = false;
    bool m_timedOut = false;
    bool m_tooSlow = false;
    bool m_viaProxy = false; // the policy sent this exchange through a proxy
    curl_slist *m_headerList = nullptr;
    bool m_prepared = false;
    QByteArray m_url;              // curl keeps a pointer to these while it runs
    QElapsedTimer m_sinceLastByte; // the inactivity timeout, to the millisecond
    curl_off_t m_bytesSeen = -1;
    QElapsedTimer m_rateWindow; // the minimum rate: bytes moved since the window began
    curl_off_t m_rateWindowBytes = 0;
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
};

} // namespace Berth
