#pragma once

// Layers made in memory for the contents tests: tar entries with raw names (GNU tar format, so a
// name that is not UTF-8, `..` or an absolute path is written exactly as given), compressed with
// gzip, zstd or not at all.

#include "contents/contentsentry.h"

#include <archive.h>
#include <archive_entry.h>

#include <QByteArray>
#include <QList>

namespace BerthTest {

enum class LayerFilter { None, Gzip, Zstd };

struct LayerItem
{
    QByteArray name;
    Berth::ContentsEntry::Type type = Berth::ContentsEntry::Type::File;
    QByteArray data; // a file's content
    QByteArray link; // a symlink's or hard link's target, as stored
    int mode = 0644;
    qint64 mtime = 1700000000;
};

inline LayerItem fileItem(QByteArray name, QByteArray data, int mode = 0644)
{
    return {std::move(name), Berth::ContentsEntry::Type::File, std::move(data), {}, mode};
}
inline LayerItem dirItem(QByteArray name, int mode = 0755)
{
    return {std::move(name), Berth::ContentsEntry::Type::Directory, {}, {}, mode};
}
inline LayerItem symlinkItem(QByteArray name, QByteArray target)
{
    return {std::move(name), Berth::ContentsEntry::Type::Symlink, {}, std::move(target), 0777};
}
inline LayerItem hardLinkItem(QByteArray name, QByteArray target)
{
    return {std::move(name), Berth::ContentsEntry::Type::HardLink, {}, std::move(target), 0644};
}
inline LayerItem deviceItem(QByteArray name)
{
    return {std::move(name), Berth::ContentsEntry::Type::CharDevice, {}, {}, 0666};
}

inline unsigned archiveType(Berth::ContentsEntry::Type type)
{
    using T = Berth::ContentsEntry::Type;
    switch (type) {
    case T::Directory:
        return AE_IFDIR;
    case T::Symlink:
        return AE_IFLNK;
    case T::CharDevice:
        return AE_IFCHR;
    case T::Fifo:
        return AE_IFIFO;
    default:
        return AE_IFREG;
    }
}

inline QByteArray layerBlob(const QList<LayerItem> &items, LayerFilter filter)
{
    QByteArray out;
    archive *a = archive_write_new();
    archive_write_set_format_gnutar(a);
    if (filter == LayerFilter::Gzip)
        archive_write_add_filter_gzip(a);
    else if (filter == LayerFilter::Zstd)
        archive_write_add_filter_zstd(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(
        a,
        &out,
        nullptr,
        [](archive *, void *data, const void *buffer, size_t length) -> la_ssize_t {
            static_cast<QByteArray *>(data)->append(static_cast<const char *>(buffer),
                                                    qsizetype(length));
            return la_ssize_t(length);
        },
        nullptr);
    for (const LayerItem &item : items) {
        archive_entry *e = archive_entry_new();
        archive_entry_copy_pathname(e, item.name.constData());
        archive_entry_set_perm(e, mode_t(item.mode));
        archive_entry_set_mtime(e, time_t(item.mtime), 0);
        if (item.type == Berth::ContentsEntry::Type::HardLink) {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_copy_hardlink(e, item.link.constData());
            archive_entry_set_size(e, 0);
        } else {
            archive_entry_set_filetype(e, archiveType(item.type));
            archive_entry_set_size(e, item.data.size());
            if (item.type == Berth::ContentsEntry::Type::Symlink)
                archive_entry_copy_symlink(e, item.link.constData());
        }
        archive_write_header(a, e);
        if (!item.data.isEmpty())
            archive_write_data(a, item.data.constData(), size_t(item.data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

} // namespace BerthTest
