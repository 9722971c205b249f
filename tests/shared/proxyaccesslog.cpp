#include "proxyaccesslog.h"

#include <QFile>
#include <QFileInfo>

namespace BerthTest {

ProxyAccessLog::ProxyAccessLog(QString path)
    : m_path(std::move(path))
    , m_start(QFileInfo(m_path).size())
{}

QStringList ProxyAccessLog::lines() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_start))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

QStringList ProxyAccessLog::linesContaining(const QString &text) const
{
    return lines().filter(text);
}

} // namespace BerthTest
