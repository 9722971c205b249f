// `berthctl load`: the fuzz bytes as an image archive (docker-archive, oci-archive, plain or
// compressed) loaded into a scratch store. A refused archive must leave the store untouched.

#include "fuzzstore.h"

#include "archive/imageload.h"
#include "archive/tarreader.h"

#include <cstring>

using namespace Berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    static BerthFuzz::ScratchStore scratch;
    const QByteArray input = BerthFuzz::bytes(data, size);

    auto reader = TarReader::openFunction(BerthFuzz::readerOver(input), QStringLiteral("fuzz.tar"));
    if (!reader)
        return 0;
    const auto loaded = loadImageArchive(scratch.store(), **reader, {});
    scratch.afterRun(loaded.has_value());
    return 0;
}
