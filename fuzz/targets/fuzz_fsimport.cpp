// `berthctl import`: the fuzz bytes as a filesystem tar (plain or compressed) imported into a
// scratch store as a one-layer image. A refused archive must leave the store untouched.

#include "fuzzstore.h"

#include "archive/filesystemimport.h"
#include "archive/tarreader.h"

#include <cstring>

using namespace Berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    static BerthFuzz::ScratchStore scratch;
    const QByteArray input = BerthFuzz::bytes(data, size);

    auto reader = TarReader::openFunction(
        BerthFuzz::readerOver(input), QStringLiteral("fuzz.tar"), TarReader::Format::Raw);
    if (!reader)
        return 0;
    ImportOptions options;
    options.platform = Platform{QStringLiteral("linux"), QStringLiteral("amd64"), {}, {}};
    const auto imported = importFilesystem(scratch.store(), **reader, options);
    scratch.afterRun(imported.has_value());
    return 0;
}
