#pragma once

// Helpers many tests share: a readable Error, a QVERIFY for Result<T>, and parsers for test
// literals that cannot fail unless the test itself is wrong.

#include "common/result.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QString>
#include <QTest>

namespace BerthTest {

// "Kind: message", for failure messages.
inline QString describe(const Berth::Error &e)
{
    return Berth::errorKindName(e.kind) + u": " + e.message;
}

// A test reference that does not parse is a mistake in the test: stop at once, naming it.
inline Berth::ImageReference parseReference(const QString &text)
{
    auto parsed = Berth::ImageReference::parse(text);
    if (!parsed)
        qFatal("test reference %s does not parse: %s",
               qPrintable(text),
               qPrintable(parsed.error().message));
    return *parsed;
}

inline Berth::Digest parseDigest(const QString &text)
{
    auto parsed = Berth::Digest::parse(text);
    if (!parsed)
        qFatal("test digest %s does not parse: %s",
               qPrintable(text),
               qPrintable(parsed.error().message));
    return *parsed;
}

// Bytes no compressor shrinks, different on every call.
inline QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(QRandomGenerator::global()->bounded(256));
    return data;
}

// The same, but the same bytes for the same seed (fixtures whose digests a test compares).
inline QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray data(size, Qt::Uninitialized);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        data[i] = char(generator.bounded(256));
    return data;
}

} // namespace BerthTest

// QVERIFY for a Result: fails with the error's kind and message. The expression is evaluated once.
#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const auto &result_ = (expression);                                                        \
        QVERIFY2(bool(result_),                                                                    \
                 bool(result_) ? "" : qPrintable(BerthTest::describe(result_.error())));           \
    } while (false)
