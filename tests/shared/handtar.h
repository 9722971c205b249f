#pragma once

// Tar entries written byte by byte: what hostile archives and layers carry (any name, type and
// link), which libarchive's writer would refuse to make.

#include <QByteArray>

#include <algorithm>

namespace BerthTest {

// One tar entry by hand (ustar): whatever name, type and link a hostile archive carries.
inline QByteArray tarEntry(const QByteArray &name,
                           char type,
                           const QByteArray &data = {},
                           const QByteArray &link = {})
{
    QByteArray h(512, '\0');
    const auto put = [&](int offset, const QByteArray &value) {
        std::copy(value.cbegin(), value.cend(), h.begin() + offset);
    };
    put(0, name);
    put(100, "0000644");
    put(108, "0000000");
    put(116, "0000000");
    put(124, QByteArray::number(data.size(), 8).rightJustified(11, '0'));
    put(136, "00000000000");
    h[156] = type;
    put(157, link);
    put(257,
        QByteArray("ustar\0"
                   "00",
                   8));
    put(148, "        ");
    int sum = 0;
    for (char c : h)
        sum += static_cast<unsigned char>(c);
    put(148, QByteArray::number(sum, 8).rightJustified(6, '0') + '\0' + ' ');
    QByteArray padded = data;
    padded.append(QByteArray((512 - data.size() % 512) % 512, '\0'));
    return h + padded;
}

// The two zero blocks that end an archive.
inline QByteArray tarEnd()
{
    return QByteArray(1024, '\0');
}

} // namespace BerthTest
