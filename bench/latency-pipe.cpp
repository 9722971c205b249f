// The delaying TCP pipe of tests/shared/delaypipe.h as a program, for bench/latency-bench: listens
// on 127.0.0.1, forwards to an upstream registry with a round-trip time and an optional bandwidth
// cap, and logs every connection and HTTP request to a file.
//
//   latency-pipe --upstream 127.0.0.1:5000 --rtt-ms 50 [--rate BYTES_PER_S] [--window BYTES]
//                --log FILE [--port-file FILE] [--port N]
//
// The port it listens on goes to --port-file (written once it listens) and to stdout. It runs
// until killed; each log line is written whole as it happens.
#include "delaypipe.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

#include <cstdio>

using BerthTest::DelayPipe;
using BerthTest::DelayPipeLink;
using namespace Qt::StringLiterals;

namespace {

bool writePortFile(const QString &path, quint16 port)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QByteArray::number(port) + '\n') > 0
           && file.commit();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption upstream(
        u"upstream"_s, u"The registry to forward to."_s, u"host:port"_s);
    const QCommandLineOption rtt(
        u"rtt-ms"_s, u"Round-trip time added (half each way)."_s, u"ms"_s, u"0"_s);
    const QCommandLineOption rate(
        u"rate"_s, u"Bandwidth cap each way, bytes/s (0: none)."_s, u"bytes"_s, u"0"_s);
    const QCommandLineOption window(
        u"window"_s, u"Bytes in flight per connection and way."_s, u"bytes"_s);
    const QCommandLineOption logFile(u"log"_s, u"The log file (appended to)."_s, u"file"_s);
    const QCommandLineOption port(
        u"port"_s, u"The port to listen on (0: any)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption portFile(u"port-file"_s, u"Where to write the port."_s, u"file"_s);
    parser.addOptions({upstream, rtt, rate, window, logFile, port, portFile});
    parser.process(app);
    if (!parser.isSet(upstream) || !parser.isSet(logFile)) {
        std::fprintf(stderr, "latency-pipe: --upstream and --log are required\n");
        return 2;
    }
    DelayPipeLink link;
    link.oneWayDelayMs = parser.value(rtt).toInt() / 2;
    link.bytesPerSecond = parser.value(rate).toLongLong();
    if (parser.isSet(window))
        link.window = parser.value(window).toLongLong();
    QFile log(parser.value(logFile));
    if (!log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        std::fprintf(stderr, "latency-pipe: cannot open %s\n", qPrintable(log.fileName()));
        return 1;
    }
    DelayPipe pipe(parser.value(upstream), link);
    pipe.setLog(&log);
    if (!pipe.listen(parser.value(port).toUShort())) {
        std::fprintf(stderr, "latency-pipe: cannot listen on 127.0.0.1\n");
        return 1;
    }
    if (parser.isSet(portFile) && !writePortFile(parser.value(portFile), pipe.port())) {
        std::fprintf(stderr, "latency-pipe: cannot write %s\n", qPrintable(parser.value(portFile)));
        return 1;
    }
    std::printf("%u\n", unsigned(pipe.port()));
    std::fflush(stdout);
    return app.exec();
}
