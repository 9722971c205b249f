#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "responsehead.h"

#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QThreadPool>
#include <QUrl>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace Berth {

// One HTTP exchange for libcurl to carry on a transfer thread. Blob bodies take this path: Qt's
// HTTP stack copies every byte twice between the socket and the caller (into QNetworkReply's
// buffer, then out of it) and faults in fresh pages for each chunk; here a download goes from
// curl's receive buffer straight to onData, which hashes and writes it on the same thread, and an
// upload is read from its device straight into curl's send buffer.
struct CurlRequest
{
    QUrl url;
    QByteArray verb = "GET";
    QList<std::pair<QByteArray, QByteArray>> headers; // Authorization too, when it applies
    std::unique_ptr<QIODevice> body;                  // an upload, read on the transfer thread
    qint64 bodySize = -1;
    bool verifyTls = true;
    int timeoutMs = 60000; // no byte for this long: the connection is dead
    // A server that drips a byte now and then never looks idle: fewer than minimumRate bytes a
    // second, averaged over a whole window of rateWindowMs, ends the exchange as too slow.
    qint64 minimumRate = 0; // 0: no rate floor
    int rateWindowMs = 60000;
    qint64 maxBufferedBody = 0; // bound on a 2xx answer kept whole (when there is no onData)
    // On the transfer thread, for 2xx answers only: the head once, then the body chunk by chunk.
    // Returning an error aborts the exchange with it.
    std::function<Status(const ResponseHead &)> onResponse;
    std::function<Status(QByteArrayView)> onData;
};

// How the exchange ended, in the terms the registry transport already judges Qt's answers in.
struct CurlOutcome
{
    ResponseHead head;
    QNetworkReply::NetworkError error = QNetworkReply::NoError; // a transport failure
    QString errorString;
    QByteArray body;                 // the answer when not streamed (bounded)
    qint64 streamed = 0;             // bytes handed to onData
    std::optional<Error> abortError; // what onResponse or onData refused with, or a body too large
    QUrl redirect;                   // a 3xx answer's Location, resolved
    bool tooSlow = false;            // ended for moving less than the request's minimum rate
};

// Runs CurlRequests on transfer threads of its own (never the global pool, which disk work
// shares). Connections, DNS answers and TLS sessions are shared between transfers, so the next
// blob of a pull reuses the connection the last one opened.
class CurlTransfers final : public QObject
{
    Q_OBJECT

public:
    // progress: bytes received and sent so far, and the upload's size; at most every 50 ms.
    using Progress = std::function<void(qint64 received, qint64 sent, qint64 sendTotal)>;
    using Done = std::function<void(CurlOutcome)>;

    explicit CurlTransfers(QObject *parent = nullptr);
    // Aborts what runs and waits for the transfer threads: no callback runs afterwards.
    ~CurlTransfers() override;

    // progress and done run on this object's thread, done exactly once unless this object is
    // destroyed first; the request's callbacks run on a transfer thread. Cancelling the token
    // aborts the transfer (done then reports OperationCanceledError).
    void start(CurlRequest request, CancelToken cancel, Progress progress, Done done);

    // Aborts every transfer and waits until the threads are done with them.
    void shutdown();

private:
    struct Shared;
    struct Transfer;

    void run(const std::shared_ptr<Transfer> &transfer);

    QThreadPool m_pool;
    std::shared_ptr<Shared> m_shared;
    std::mutex m_mutex;
    QList<std::weak_ptr<Transfer>> m_running;
};

} // namespace Berth
