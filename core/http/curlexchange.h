#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "responsehead.h"

#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QNetworkReply>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace Berth {

// One HTTP exchange for libcurl to carry, on a thread that may block: blob transfers, the
// container engine's API, import's URL download. Bodies never sit in memory on their way: a
// download goes from curl's receive buffer straight to onData (Qt's HTTP stack would copy every
// byte twice and fault in fresh pages for each chunk), an upload from its reader straight into
// curl's send buffer.
struct CurlRequest
{
    QUrl url;
    // Not empty: HTTP over this local socket instead of TCP (the container engine's API).
    QByteArray unixSocket;
    QByteArray verb = "GET";
    QList<std::pair<QByteArray, QByteArray>> headers; // Authorization too, when it applies
    // A small body sent from memory as a POST (the engine's JSON)…
    QByteArray postFields;
    // …or a streamed upload, read on the transfer thread straight into curl's send buffer: the
    // bytes read, 0 at its end, -1 to end the exchange (bodyError, when set, says why). rewindBody
    // moves back to an offset when curl resends the request on a fresh connection; without it,
    // curl cannot resend.
    std::function<qint64(char *buffer, qint64 size)> readBody;
    std::function<Error()> bodyError;
    std::function<bool(qint64 offset)> rewindBody;
    qint64 bodySize = -1; // -1: unknown, sent chunked
    bool verifyTls = true;
    // The proxy and the host's certs.d material come from the network policy in force
    // (network/networkpolicy.h), as for Qt's stack: no exchange chooses its own route.
    int maxRedirects = 0;     // followed by curl (http and https only); 0: a 3xx comes back
    int connectTimeoutMs = 0; // 0: curl's own
    // No byte for this long ends the exchange, checked to the millisecond (0: no limit); curl's
    // own check of under a byte a second for stallSeconds (by default the next whole second after
    // timeoutMs) backs it up.
    int timeoutMs = 0;
    int stallSeconds = 0;
    // The whole exchange ends after this long (0: no limit): a small answer that trickles in
    // never looks idle. Its clock runs while it waits for a free connection (libcurl checks it
    // once the exchange has one).
    int deadlineMs = 0;
    // A server that drips a byte now and then never looks idle: fewer than minimumRate bytes a
    // second, averaged over a whole window of rateWindowMs, ends the exchange as too slow.
    qint64 minimumRate = 0; // 0: no rate floor
    int rateWindowMs = 60000;
    qint64 maxBufferedBody = 0; // bound on a 2xx answer kept whole (when there is no onData)
    // On the transfer thread, for 2xx answers only: the head once, then the body chunk by chunk.
    // Returning an error aborts the exchange with it.
    std::function<Status(const ResponseHead &)> onResponse;
    std::function<Status(QByteArrayView)> onData;

    // A streamed upload from a device (read, and rewound when seekable, on the transfer thread).
    void setBody(std::unique_ptr<QIODevice> device, qint64 size);
};

// How far an exchange got: bytes received and sent, and the totals when known (-1 when not).
struct CurlProgress
{
    qint64 received = 0;
    qint64 receiveTotal = -1;
    qint64 sent = 0;
    qint64 sendTotal = -1;
};

// How the exchange ended, in the terms Qt's network errors use.
struct CurlOutcome
{
    ResponseHead head; // the last answer's, after curl's own redirects
    QNetworkReply::NetworkError error = QNetworkReply::NoError; // a transport failure
    QString errorString;
    QByteArray body;                 // the answer when not streamed (bounded)
    qint64 streamed = 0;             // bytes handed to onData
    std::optional<Error> abortError; // what a callback refused with, or a body too large
    QUrl redirect;                   // a 3xx answer's Location, resolved
    bool tooSlow = false;            // ended for moving less than the request's minimum rate
    bool pastDeadline = false;       // ended at the request's deadline

    bool isSuccess() const { return head.status >= 200 && head.status < 300; }
};

// Runs one exchange on the calling thread, on a connection of its own, and blocks until it ends
// (a worker thread's job). progress runs on this thread at each of curl's progress calls.
// Cancelling the token ends it with OperationCanceledError.
CurlOutcome performCurl(CurlRequest request,
                        const CancelToken &cancel,
                        const std::function<void(const CurlProgress &)> &progress = {});

} // namespace Berth
