#include "imageinuse.h"

#include <QRegularExpression>

#include <algorithm>

namespace Berth {

namespace {

QString containerName(const LocalContainer &container)
{
    QString name = container.names.value(0);
    if (name.startsWith(u'/'))
        name.remove(0, 1);
    return name.isEmpty() ? container.id.left(12) : name;
}

QString shownImage(const QString &image)
{
    return image.startsWith(u"sha256:") ? image.mid(7, 12) : image;
}

} // namespace

QList<LocalContainer> containersNamedIn(const QString &engineMessage,
                                        const QList<LocalContainer> &containers)
{
    static const QRegularExpression hex(QStringLiteral("\\b[0-9a-f]{12,64}\\b"));
    QStringList ids;
    for (auto it = hex.globalMatch(engineMessage); it.hasNext();)
        ids.append(it.next().captured());
    QList<LocalContainer> found;
    for (const LocalContainer &c : containers) {
        const bool named = std::ranges::any_of(ids, [&](const QString &id) {
            return c.id.startsWith(id)
                   || (c.imageId.isValid() && c.imageId.encoded().startsWith(id));
        });
        if (named)
            found.append(c);
    }
    return found;
}

QString containerStateWord(const QString &engineState)
{
    if (engineState == u"running")
        return tr("running");
    if (engineState == u"paused")
        return tr("paused");
    if (engineState == u"restarting")
        return tr("restarting");
    return tr("stopped"); // created, exited, dead: there, not running
}

Error imageInUseError(const QString &image,
                      const QList<LocalContainer> &users,
                      const Error &original)
{
    if (users.isEmpty())
        return original;
    Error error = original;
    QStringList described;
    error.containers.clear();
    for (const LocalContainer &c : users) {
        error.containers.append(containerName(c));
        described.append(tr("'%1' (%2)").arg(containerName(c), containerStateWord(c.state)));
    }
    error.message
        = users.size() == 1
              ? tr("%1 is used by the container %2. Remove the container first, or force.")
                    .arg(shownImage(image), described.first())
              : tr("%1 is used by %n container(s): %2. Remove them first, or force.",
                   nullptr,
                   int(users.size()))
                    .arg(shownImage(image), described.join(u", "));
    return error;
}

} // namespace Berth
