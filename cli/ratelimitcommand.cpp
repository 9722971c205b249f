#include "clicontext.h"
#include "commands.h"
#include "terminaltext.h"

#include "registry/registryclient.h"

#include <QJsonObject>

namespace Berth::Cli {

namespace {

// Docker's documented check: a HEAD of this image's manifest on Docker Hub states the limit
// without counting as a pull.
constexpr char RateLimitPreviewImage[] = "ratelimitpreview/test:latest";

QJsonValue pullCountOrNull(int value)
{
    return value < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

QJsonObject pullLimitJson(const QString &registry, const std::optional<PullRateLimit> &limit)
{
    QJsonObject o;
    o.insert(u"registry", registry);
    o.insert(u"limit", pullCountOrNull(limit ? limit->limit : -1));
    o.insert(u"remaining", pullCountOrNull(limit ? limit->remaining : -1));
    o.insert(u"window", pullCountOrNull(limit ? limit->windowSeconds : -1));
    o.insert(u"source",
             limit && !limit->source.isEmpty() ? QJsonValue(limit->source)
                                               : QJsonValue(QJsonValue::Null));
    return o;
}

// "6 hours (21600 seconds)", "15 minutes (900 seconds)", "45 seconds".
QString pullWindow(int seconds)
{
    if (seconds >= 3600 && seconds % 3600 == 0)
        return tr("%n hour(s)", nullptr, seconds / 3600) + tr(" (%n second(s))", nullptr, seconds);
    if (seconds >= 60 && seconds % 60 == 0)
        return tr("%n minute(s)", nullptr, seconds / 60) + tr(" (%n second(s))", nullptr, seconds);
    return tr("%n second(s)", nullptr, seconds);
}

void printPullLimit(QTextStream &out, const QString &registry, const PullRateLimit &limit)
{
    const QString unstated = tr("not stated");
    out << tr("Registry:   %1").arg(registry) << '\n'
        << tr("Limit:      %1")
               .arg(limit.limit < 0 ? unstated : tr("%n pull(s)", nullptr, limit.limit))
        << '\n'
        << tr("Remaining:  %1")
               .arg(limit.remaining < 0 ? unstated : tr("%n pull(s)", nullptr, limit.remaining))
        << '\n'
        << tr("Window:     %1")
               .arg(limit.windowSeconds < 0 ? unstated : pullWindow(limit.windowSeconds))
        << '\n'
        << tr("Source:     %1").arg(limit.source.isEmpty() ? unstated : terminalSafe(limit.source))
        << '\n';
}

} // namespace

int ratelimitCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show the pull limit a registry states: the limit, the pulls remaining, the window and "
           "what it applies to. Asks with a HEAD of the image's manifest, which Docker Hub does "
           "not count as a pull. Without an image, asks Docker Hub about %1.")
            .arg(QLatin1String(RateLimitPreviewImage)));
    parser.addPositionalArgument(QStringLiteral("image"),
                                 tr("e.g. node:20, localhost:5000/app:1.0 (optional)"),
                                 QStringLiteral("[image]"));
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() > 1)
        return context.usage(tr("ratelimit takes at most one image reference"));
    const QString text
        = parser.positionalArguments().value(0, QLatin1String(RateLimitPreviewImage));
    const auto reference = ImageReference::parse(text);
    if (!reference)
        return context.usage(reference.error().message);

    RegistryClient &client = context.registry();
    const QString registry = reference->domain();
    const auto head
        = context.wait<ManifestResponse>([&](auto done) { client.headManifest(*reference, done); });
    if (!head)
        return context.report(head.error());
    const auto limit = client.transport().pullRateLimit(registry);
    if (context.json()) {
        context.printJson(QJsonDocument(pullLimitJson(registry, limit)));
        return Success;
    }
    if (limit)
        printPullLimit(context.out(), registry, *limit);
    else
        context.out() << tr("%1 states no pull limit.").arg(registry) << '\n';
    context.out().flush();
    return Success;
}

} // namespace Berth::Cli
