#pragma once

#include "archive/tarwriter.h"
#include "common/result.h"

#include <QByteArrayView>

#include <functional>
#include <memory>

struct archive;

namespace Berth {

// Compresses one byte stream (a tar an engine produced) on its way to its destination: libarchive's
// "raw" format, so the same gzip/zstd/xz/bzip2 filters as TarWriter apply. With Compression::None
// the bytes pass straight through.
class CompressedStream final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    using WriteFunction = std::function<Status(const char *data, qint64 size)>;

    static Result<std::unique_ptr<CompressedStream>> open(Compression compression,
                                                          WriteFunction write);
    ~CompressedStream();

    Status write(QByteArrayView data);
    Status finish();

private:
    CompressedStream() = default;
    archive *m_archive = nullptr;
    WriteFunction m_write;
    Error m_lastError;
    bool m_failed = false;
    bool m_finished = false;
    bool m_discard = false; // closing an unfinished stream: its last bytes go nowhere
};

} // namespace Berth
