#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <memory>

#include <sys/types.h>

namespace Berth {

// The file a save or an export writes, as the user named it. Written under a temp name beside it
// and renamed over the name only by commit(), after an fsync: a failed, cancelled or crashed save
// leaves the previous file (or nothing) there, never a truncated archive.
//
// Never written through a symbolic link: QSaveFile resolved a link and renamed over the file it
// pointed to, replacing a file elsewhere (a link planted in a shared directory aimed it at the
// user's own files, past fs.protected_symlinks). A link at the name, dangling or not, is refused
// naming where it points; the user names that path to mean it. rename(2) replaces a link that
// appears later instead of following it, so no race reaches the link's target.
//
// An existing device or FIFO (/dev/null) is written in place: there is no file to replace. So is
// one of the process's own descriptors named as /dev/stdout, /dev/fd/N or /proc/self/fd/N.
class OutputFile final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    static Result<std::unique_ptr<OutputFile>> create(const QString &path);
    ~OutputFile(); // removes an uncommitted temp file

    int fd() const { return m_fd; }
    Status commit();

private:
    OutputFile() = default;
    Status refuseLink() const;
    Status createTemp(mode_t keepMode, bool exists);
    Status renameIntoPlace();

    QString m_path;
    QByteArray m_temp; // empty when written in place
    int m_fd = -1;
    bool m_committed = false;
};

} // namespace Berth
