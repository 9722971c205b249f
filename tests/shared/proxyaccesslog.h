#pragma once

#include <QString>
#include <QStringList>

namespace BerthTest {

// The lines squid wrote to an access log since this object was made: one per request, "GET
// http://NAME:PORT/v2/…" for plain HTTP, "CONNECT NAME:PORT" for a tunnel, the login's user name
// when there was one. squid writes a line when a transaction ends, so wait for an expected line
// with QTRY_VERIFY.
class ProxyAccessLog
{
public:
    explicit ProxyAccessLog(QString path);

    QStringList lines() const;
    QStringList linesContaining(const QString &text) const;

private:
    QString m_path;
    qint64 m_start = 0;
};

} // namespace BerthTest
