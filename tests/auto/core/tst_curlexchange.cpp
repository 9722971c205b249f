// performCurl, the blocking form of the libcurl wrapper (import's URL download uses it): a 2xx
// body streamed to onData, an error body kept, redirects followed or handed back, a refusal from
// onData, a cancelled exchange. The server answers on this thread; the exchange runs on another.
#include "fakehubserver.h"

#include "http/curlexchange.h"

#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Berth;
using namespace BerthTest;

namespace {

const QByteArray Blob(100000, 'b');

} // namespace

class tst_CurlExchange : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exchange_data();
    void exchange();
    void cancelledBeforeItStarts();

private:
    // On a worker thread: the server answers on this thread's event loop.
    static QFuture<CurlOutcome> perform(CurlRequest request, const CancelToken &cancel = {});

    FakeHubServer m_server;
};

void tst_CurlExchange::initTestCase()
{
    QVERIFY(m_server.listen());
    m_server.route(QStringLiteral("/blob"), FakeHubResponse{200, {}, Blob});
    m_server.route(QStringLiteral("/missing"), FakeHubResponse{404, {}, "nope"});
    m_server.route(QStringLiteral("/moved"), FakeHubResponse{302, {{"Location", "/blob"}}, {}});
}

QFuture<CurlOutcome> tst_CurlExchange::perform(CurlRequest request, const CancelToken &cancel)
{
    return QtConcurrent::run([request = std::move(request), cancel]() mutable {
        return performCurl(std::move(request), cancel);
    });
}

void tst_CurlExchange::exchange_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("maxRedirects");
    QTest::addColumn<bool>("refuseData");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("streamed");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<bool>("aborted");

    QTest::newRow("a 2xx body streamed") << "/blob" << 0 << false << 200 << qint64(Blob.size())
                                         << QByteArray() << QString() << false;
    QTest::newRow("an error body kept")
        << "/missing" << 0 << false << 404 << qint64(0) << QByteArray("nope") << QString() << false;
    QTest::newRow("a redirect followed") << "/moved" << 10 << false << 200 << qint64(Blob.size())
                                         << QByteArray() << QString() << false;
    QTest::newRow("a redirect handed back")
        << "/moved" << 0 << false << 302 << qint64(0) << QByteArray() << "/blob" << false;
    QTest::newRow("refused by onData")
        << "/blob" << 0 << true << 200 << qint64(0) << QByteArray() << QString() << true;
}

void tst_CurlExchange::exchange()
{
    QFETCH(QString, path);
    QFETCH(int, maxRedirects);
    QFETCH(bool, refuseData);
    QFETCH(int, status);
    QFETCH(qint64, streamed);
    QFETCH(QByteArray, body);
    QFETCH(QString, redirect);
    QFETCH(bool, aborted);

    CurlRequest request;
    request.url = m_server.url().resolved(QUrl(path));
    request.maxRedirects = maxRedirects;
    request.timeoutMs = 30000;
    auto received = std::make_shared<QByteArray>();
    request.onData = [received, refuseData](QByteArrayView data) -> Status {
        if (refuseData)
            return fail(Error::Kind::Io, QStringLiteral("the disk is full"));
        received->append(data);
        return {};
    };
    QFuture<CurlOutcome> future = perform(std::move(request));
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
    const CurlOutcome outcome = future.result();

    QCOMPARE(outcome.head.status, status);
    QCOMPARE(outcome.streamed, streamed);
    QCOMPARE(received->size(), streamed);
    if (streamed > 0)
        QCOMPARE(*received, Blob);
    QCOMPARE(outcome.body, body);
    QCOMPARE(outcome.redirect.isValid() ? outcome.redirect.path() : QString(), redirect);
    QCOMPARE(outcome.abortError.has_value(), aborted);
    if (aborted)
        QCOMPARE(outcome.abortError->message, QStringLiteral("the disk is full"));
    else
        QCOMPARE(outcome.error, QNetworkReply::NoError);
}

// No connection is opened for an exchange nobody waits for any more.
void tst_CurlExchange::cancelledBeforeItStarts()
{
    const int before = m_server.requestCount();
    CancelToken cancel;
    cancel.cancel();
    CurlRequest request;
    request.url = m_server.url().resolved(QUrl(QStringLiteral("/blob")));
    QFuture<CurlOutcome> future = perform(std::move(request), cancel);
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
    const CurlOutcome outcome = future.result();
    QCOMPARE(outcome.error, QNetworkReply::OperationCanceledError);
    QCOMPARE(outcome.head.status, 0);
    QCOMPARE(m_server.requestCount(), before);
}

QTEST_GUILESS_MAIN(tst_CurlExchange)
#include "tst_curlexchange.moc"
