#pragma once

// What every fuzz target shares: the libFuzzer entry point's signature, a quiet log (the parsers'
// debug lines would cost more than the parsing), and a loud failure for a broken invariant.

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace BerthFuzz {

inline void quietLogging()
{
    static const bool installed = [] {
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &text) {
            if (type == QtFatalMsg) {
                std::fprintf(stderr, "fatal: %s\n", qPrintable(text));
                std::abort();
            }
        });
        return true;
    }();
    (void)installed;
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// An invariant the code under test promises does not hold: abort, which the fuzzer records as a
// crash and the replay test reports as a failure.
[[noreturn]] inline void broken(const char *what, const QString &detail = {})
{
    std::fprintf(stderr, "invariant broken: %s %s\n", what, qPrintable(detail));
    std::abort();
}

} // namespace BerthFuzz
