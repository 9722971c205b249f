#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace Berth {

// The status and headers of an HTTP answer, whichever stack carried it.
struct ResponseHead
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;

    // A header sent more than once (WWW-Authenticate with Basic and Bearer, Link) reads as its
    // values joined with ", ", as HTTP defines and Qt's stack reported it.
    QByteArray header(QByteArrayView name) const
    {
        QByteArray joined;
        bool found = false;
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) != 0)
                continue;
            if (found)
                joined += ", ";
            joined += value;
            found = true;
        }
        return joined;
    }
};

} // namespace Berth
