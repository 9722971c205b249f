// WWW-Authenticate values as a registry (or anything posing as one) sends them.

#include "fuzzsupport.h"

#include "registry/authchallenge.h"

using namespace Berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    const QByteArray header = BerthFuzz::bytes(data, size);
    if (auto challenges = parseAuthChallenges(header)) {
        if (auto chosen = preferredChallenge(*challenges)) {
            if (chosen->scheme == AuthChallenge::Scheme::Other)
                BerthFuzz::broken("preferredChallenge() chose a scheme Berth cannot answer");
            (void)chosen->realm();
            (void)chosen->scope();
        }
    }
    return 0;
}
