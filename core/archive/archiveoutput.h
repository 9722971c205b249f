#pragma once

#include "archive/archivetypes.h"
#include "archive/outputfile.h"
#include "common/result.h"

#include <memory>

namespace Berth {

// The destination of a save or an export. A file is an OutputFile: written under a temp name
// beside it, renamed over the user's name only by commit(), never through a symbolic link. A
// descriptor (stdout) is written as is.
class ArchiveOutput final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    static Result<std::unique_ptr<ArchiveOutput>> open(const ArchiveTarget &target);
    ~ArchiveOutput(); // discards an uncommitted file

    int fd() const { return m_fd; }
    QString displayName() const { return m_target.displayName(); }
    // Writes a whole buffer, retrying short writes; false with an Io error on failure.
    Status write(const char *data, qint64 size);
    Status commit();

private:
    ArchiveOutput() = default;
    ArchiveTarget m_target;
    std::unique_ptr<OutputFile> m_file;
    int m_fd = -1;
};

} // namespace Berth
