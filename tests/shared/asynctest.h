#pragma once

#include "common/result.h"

#include <QEventLoop>
#include <QTimer>

#include <optional>

namespace BerthTest {

// Runs an asynchronous core call to completion on the test's event loop:
//   auto r = await<Manifest>([&](auto done) { client.fetchManifest(ref, done); });
// A call that never answers within timeoutMs is a failure, reported as a Network error.
template<typename T, typename Start>
Berth::Result<T> await(Start &&start, int timeoutMs = 120000)
{
    std::optional<Berth::Result<T>> result;
    QEventLoop loop;
    start([&](Berth::Result<T> r) {
        result = std::move(r);
        loop.quit();
    });
    if (!result) {
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        loop.exec();
    }
    if (!result)
        return Berth::fail(Berth::Error::Kind::Network, QStringLiteral("test timed out"));
    return std::move(*result);
}

// A failed Result's message for QVERIFY2 (empty on success):  QVERIFY2(r, why(r));
template<typename T>
const char *why(const Berth::Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toUtf8();
    return text.constData();
}

} // namespace BerthTest
