#include "archive/archiveoutput.h"
#include "archive/tarwriter.h"
#include "contents/layerextract.h"

#include <archive_entry.h>

namespace Berth {

namespace {

unsigned fileType(ContentsEntry::Type type)
{
    switch (type) {
    case ContentsEntry::Type::Directory:
        return AE_IFDIR;
    case ContentsEntry::Type::Symlink:
        return AE_IFLNK;
    case ContentsEntry::Type::CharDevice:
        return AE_IFCHR;
    case ContentsEntry::Type::BlockDevice:
        return AE_IFBLK;
    case ContentsEntry::Type::Fifo:
        return AE_IFIFO;
    case ContentsEntry::Type::Socket:
        return AE_IFSOCK;
    default:
        return AE_IFREG;
    }
}

// A header with the entry's own metadata under its relative name (raw bytes: a name that is not
// UTF-8 stays what it was).
struct Header
{
    Header(const ContentsEntry &entry, QByteArrayView relative)
        : raw(archive_entry_new())
    {
        const QByteArray name = relative.toByteArray();
        archive_entry_copy_pathname(raw, name.constData());
        archive_entry_set_filetype(raw, fileType(entry.type));
        archive_entry_set_perm(raw, mode_t(entry.mode & 07777));
        archive_entry_set_uid(raw, entry.uid);
        archive_entry_set_gid(raw, entry.gid);
        archive_entry_set_mtime(raw, time_t(entry.mtime), 0);
        archive_entry_set_size(raw, entry.type == ContentsEntry::Type::File ? entry.size : 0);
    }
    ~Header() { archive_entry_free(raw); }
    Q_DISABLE_COPY_MOVE(Header)
    archive_entry *raw;
};

class TarTarget final : public ExtractTarget
{
public:
    TarTarget(std::unique_ptr<ArchiveOutput> output, std::unique_ptr<TarWriter> writer)
        : m_output(std::move(output))
        , m_writer(std::move(writer))
    {}
    ~TarTarget() override
    {
        m_writer.reset(); // before the output it writes to
    }

    Status directory(const ContentsEntry &entry, QByteArrayView relative) override
    {
        Header header(entry, relative);
        return m_writer->writeHeader(header.raw);
    }
    Status symlink(const ContentsEntry &entry, QByteArrayView relative) override
    {
        Header header(entry, relative);
        archive_entry_copy_symlink(header.raw, entry.linkTarget.constData());
        return m_writer->writeHeader(header.raw);
    }
    Status
    hardLink(const ContentsEntry &entry, QByteArrayView relative, QByteArrayView existing) override
    {
        Header header(entry, relative);
        archive_entry_set_size(header.raw, 0);
        archive_entry_copy_hardlink(header.raw, existing.toByteArray().constData());
        return m_writer->writeHeader(header.raw);
    }
    Status beginFile(const ContentsEntry &entry, QByteArrayView relative) override
    {
        Header header(entry, relative);
        return m_writer->writeHeader(header.raw);
    }
    Status fileData(QByteArrayView data) override { return m_writer->writeData(data); }
    Status endFile() override { return {}; }
    Status special(const ContentsEntry &entry, QByteArrayView relative) override
    {
        Header header(entry, relative);
        return m_writer->writeHeader(header.raw);
    }
    Status finish() override
    {
        if (Status s = m_writer->finish(); !s)
            return s;
        return m_output->commit();
    }

private:
    std::unique_ptr<ArchiveOutput> m_output;
    std::unique_ptr<TarWriter> m_writer;
};

} // namespace

Result<std::unique_ptr<ExtractTarget>> tarTarget(const ArchiveTarget &target,
                                                 Compression compression)
{
    auto output = ArchiveOutput::open(target);
    if (!output)
        return fail(output.error());
    ArchiveOutput *out = output->get();
    auto writer = TarWriter::toFunction(
        [out](const char *data, qint64 size) { return bool(out->write(data, size)); },
        out->displayName(),
        compression);
    if (!writer)
        return fail(writer.error());
    return std::unique_ptr<ExtractTarget>(new TarTarget(std::move(*output), std::move(*writer)));
}

} // namespace Berth
