#include "registrieslocation.h"

#include "common/result.h"

#include <QRegularExpression>

namespace Berth {

namespace {

bool looksLikeRegistry(const QString &host)
{
    return host.contains(u'.') || host.contains(u':') || host == u"localhost";
}

} // namespace

QString registryOf(const QString &location)
{
    return location.section(u'/', 0, 0);
}

QString locationProblem(const QString &location)
{
    // distribution/reference's domain and path components.
    static const QRegularExpression grammar(QStringLiteral(
        R"(^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)"
        R"(|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?)"
        R"((?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$)"));
    if (location.contains(u"://"))
        return tr("is '%1': write the registry without a scheme (host[:port][/path]).")
            .arg(location);
    if (location.contains(u'*'))
        return tr("is '%1': a wildcard is only allowed as a prefix's leading '*.'.").arg(location);
    if (location.size() > 1024 || !grammar.match(location).hasMatch())
        return tr("is '%1', which is not a registry or repository (host[:port][/path]).")
            .arg(location.left(200));
    if (!looksLikeRegistry(registryOf(location)))
        return tr("is '%1', whose first part is not a registry host (it needs a '.', a port or "
                  "localhost).")
            .arg(location);
    return {};
}

QString prefixProblem(const QString &prefix)
{
    if (!prefix.contains(u'*'))
        return locationProblem(prefix);
    static const QRegularExpression wildcard(QStringLiteral(
        R"(^\*\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$)"));
    if (prefix.size() > 1024 || !wildcard.match(prefix).hasMatch())
        return tr("is '%1', with a wildcard in the wrong place: only '*.' before a host name, "
                  "with no port or path, is allowed.")
            .arg(prefix.left(200));
    return {};
}

} // namespace Berth
