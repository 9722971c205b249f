// Image references, digests, tags, registry names and platforms: every text a user or a registry
// hands Berth as a name. A reference that parses must print as text that parses back to it.

#include "fuzzsupport.h"

#include "oci/manifest.h"
#include "reference/imagereference.h"

using namespace Berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    const QString text = QString::fromUtf8(BerthFuzz::bytes(data, size));

    if (auto reference = ImageReference::parse(text)) {
        const QString full = reference->toString();
        auto again = ImageReference::parse(full);
        if (!again || !(*again == *reference))
            BerthFuzz::broken("toString() does not parse back to the same reference", full);
        auto familiar = ImageReference::parse(reference->familiarString());
        if (!familiar || !(*familiar == *reference))
            BerthFuzz::broken("familiarString() does not parse back", reference->familiarString());
        (void)reference->familiarRepository();
        (void)reference->registryHost();
        (void)reference->withTag(QStringLiteral("fuzz"));
    }
    if (auto repository = ImageReference::parseRepository(text)) {
        if (!repository->tag().isEmpty() && repository->tag() != u"latest")
            BerthFuzz::broken("parseRepository() kept a tag", text);
    }
    if (auto digest = Digest::parse(text)) {
        auto again = Digest::parse(digest->toString());
        if (!again || !(*again == *digest))
            BerthFuzz::broken("a digest does not print back", digest->toString());
    }
    (void)ImageReference::normalizeRegistry(text);
    (void)ImageReference::validateTag(text);
    if (auto platform = Platform::parse(text)) {
        auto again = Platform::parse(platform->toString());
        if (!again || !(*again == *platform))
            BerthFuzz::broken("a platform does not print back", platform->toString());
    }
    return 0;
}
