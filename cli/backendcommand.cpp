#include "backendcommand.h"

namespace Berth::Cli {

Prepared prepare(Context &context,
                 QCommandLineParser &parser,
                 const QStringList &arguments,
                 int minArgs,
                 int maxArgs,
                 const QString &usageText)
{
    Context::addBackendOption(parser);
    if (const std::optional<int> stop = context.parse(parser, arguments))
        return {*stop};
    const qsizetype n = parser.positionalArguments().size();
    if (n < minArgs || (maxArgs >= 0 && n > maxArgs))
        return {context.usage(usageText)};
    auto backend = context.backend(parser);
    if (!backend) {
        if (backend.error().kind == Error::Kind::InvalidArgument)
            return {context.usage(backend.error().message)};
        return {context.report(backend.error())};
    }
    return {-1, *backend};
}

Result<ImageReference> parseReference(Context &context, const QString &text, int *exitCode)
{
    auto reference = ImageReference::parse(text);
    if (!reference)
        *exitCode = context.usage(reference.error().message);
    return reference;
}

} // namespace Berth::Cli
