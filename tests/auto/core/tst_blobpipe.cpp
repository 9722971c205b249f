// BlobPipe (core/registryops/blobpipe.h), the bounded pipe a registry-to-registry copy streams each
// blob through: bytes arrive whole and in order whatever the capacity and the chunk sizes, the
// last byte waits for finish(), and a failure on either side (or no data for the idle limit)
// wakes the other with the reason.

#include "testhelpers.h"

#include "registryops/blobpipe.h"

#include <QTest>

#include <thread>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;

class tst_BlobPipe final : public QObject
{
    Q_OBJECT

private slots:
    void bytesArriveInOrder_data();
    void bytesArriveInOrder();
    void lastByteWaitsForFinish();
    void readerFailureStopsWriter();
    void writerFailureStopsReader();
    void emptyBlob();
    void sinkRefusesRestart();
};

void tst_BlobPipe::bytesArriveInOrder_data()
{
    QTest::addColumn<qint64>("capacity");
    QTest::addColumn<int>("writeChunk");
    QTest::addColumn<int>("readChunk");
    QTest::addColumn<int>("size");
    QTest::newRow("tiny pipe") << qint64(2) << 7 << 3 << 5000;
    QTest::newRow("writes larger than the pipe") << qint64(1000) << 4096 << 512 << 300000;
    QTest::newRow("reads larger than the pipe") << qint64(1000) << 100 << 65536 << 300000;
    QTest::newRow("roomy pipe") << qint64(4 << 20) << 16384 << 65536 << 3000000;
    QTest::newRow("one byte") << qint64(64) << 1 << 1 << 1;
}

void tst_BlobPipe::bytesArriveInOrder()
{
    QFETCH(qint64, capacity);
    QFETCH(int, writeChunk);
    QFETCH(int, readChunk);
    QFETCH(int, size);
    const QByteArray data = randomBytes(size, 23);
    auto pipe = std::make_shared<BlobPipe>(capacity, 30s);
    bool allWritten = true; // QVERIFY belongs to the test's thread
    std::thread writer([&] {
        for (qsizetype at = 0; at < data.size() && allWritten; at += writeChunk)
            allWritten = bool(pipe->write(
                QByteArrayView(data).sliced(at, qMin<qsizetype>(writeChunk, data.size() - at))));
        pipe->finish();
    });
    PipeReadDevice device(pipe);
    QByteArray received;
    QByteArray buffer(readChunk, '\0');
    qint64 n = 0;
    while ((n = device.read(buffer.data(), buffer.size())) > 0)
        received.append(buffer.constData(), n);
    writer.join();
    QVERIFY2(n == 0, qPrintable(device.errorString()));
    QVERIFY(allWritten);
    QCOMPARE(received.size(), data.size());
    QVERIFY(received == data);
    QVERIFY(pipe->peakBuffered() <= qMax<qint64>(capacity, 2));
}

void tst_BlobPipe::lastByteWaitsForFinish()
{
    // Without finish() the reader gets all but the last byte; then, with no writer, the idle limit
    // ends the wait with a reason instead of a hang.
    BlobPipe pipe(1024, 100ms);
    QVERIFY(pipe.write("0123456789"));
    char buffer[64];
    QCOMPARE(pipe.read(buffer, sizeof buffer), qint64(9));
    QCOMPARE(QByteArray(buffer, 9), QByteArray("012345678"));
    QCOMPARE(pipe.read(buffer, sizeof buffer), qint64(-1));
    QVERIFY(pipe.failure().contains(QStringLiteral("no data")));

    BlobPipe finished(1024, 30s);
    QVERIFY(finished.write("0123456789"));
    QCOMPARE(finished.read(buffer, 4), qint64(4));
    finished.finish();
    QCOMPARE(finished.read(buffer, sizeof buffer), qint64(6));
    QCOMPARE(QByteArray(buffer, 6), QByteArray("456789"));
    QCOMPARE(finished.read(buffer, sizeof buffer), qint64(0));
}

void tst_BlobPipe::readerFailureStopsWriter()
{
    // A writer blocked on a full pipe is woken by the upload failing, and told why.
    auto pipe = std::make_shared<BlobPipe>(1000, 30s);
    Status written;
    std::thread writer([&] { written = pipe->write(QByteArray(100000, 'x')); });
    char buffer[100];
    const qint64 read = pipe->read(buffer, sizeof buffer); // the writer is there
    pipe->fail(QStringLiteral("The destination refused the upload."));
    writer.join();
    QCOMPARE(read, qint64(100));
    QVERIFY(!written);
    QCOMPARE(written.error().message, QStringLiteral("The destination refused the upload."));
    QVERIFY(!pipe->write("more"));
}

void tst_BlobPipe::writerFailureStopsReader()
{
    // A digest mismatch found by the download fails the pipe: the upload never sees its end.
    auto pipe = std::make_shared<BlobPipe>(1000, 30s);
    PipeReadDevice device(pipe);
    qint64 result = 0;
    std::thread reader([&] {
        char buffer[100];
        result = device.read(buffer, sizeof buffer);
    });
    pipe->fail(QStringLiteral("The layer sha256:ab… does not match its digest."));
    reader.join();
    QCOMPARE(result, qint64(-1));
    QCOMPARE(device.errorString(),
             QStringLiteral("The layer sha256:ab… does not match its digest."));
}

void tst_BlobPipe::emptyBlob()
{
    BlobPipe pipe(1024, 30s);
    pipe.finish();
    char buffer[8];
    QCOMPARE(pipe.read(buffer, sizeof buffer), qint64(0));
}

void tst_BlobPipe::sinkRefusesRestart()
{
    // What went through cannot be taken back: a source that ignores a resume's Range fails the
    // blob, with a sentence.
    PipeBlobSink sink(std::make_shared<BlobPipe>(1024, 30s));
    QVERIFY(sink.write("abc"));
    const Status restarted = sink.restart();
    QVERIFY(!restarted);
    QVERIFY(!restarted.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(tst_BlobPipe)
#include "tst_blobpipe.moc"
