#include "archivelayout.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

constexpr int BlockSize = 512;
// Distinct top-level names that are neither: past this many the archive is something else.
constexpr int MaxOtherNames = 8;

// "./etc/passwd" and "/etc/passwd" → "etc"; "./" → "".
QString topLevelName(QString path)
{
    while (path.startsWith(u"./") || path.startsWith(u'/'))
        path.remove(0, path.startsWith(u'/') ? 1 : 2);
    if (path == u".")
        return {};
    return path.section(u'/', 0, 0);
}

bool isImageArchiveName(const QString &top)
{
    static const QRegularExpression imageId(u"^[0-9a-f]{64}(?:\\.json|\\.tar)?$"_s);
    return top == u"manifest.json" || top == u"index.json" || top == u"oci-layout"
           || top == u"repositories" || top == u"blobs" || imageId.match(top).hasMatch();
}

bool isRootFilesystemName(const QString &top)
{
    static const QSet<QString> names{
        u".dockerenv"_s, u"bin"_s,   u"boot"_s,  u"dev"_s,    u"etc"_s,   u"home"_s,
        u"lib"_s,        u"lib32"_s, u"lib64"_s, u"libx32"_s, u"media"_s, u"mnt"_s,
        u"opt"_s,        u"proc"_s,  u"root"_s,  u"run"_s,    u"sbin"_s,  u"srv"_s,
        u"sys"_s,        u"tmp"_s,   u"usr"_s,   u"var"_s};
    return names.contains(top);
}

// A NUL-terminated field of a tar header.
QByteArrayView field(QByteArrayView block, int offset, int size)
{
    const QByteArrayView f = block.sliced(offset, size);
    const qsizetype end = f.indexOf('\0');
    return end < 0 ? f : f.first(end);
}

// The size field: octal digits, or base-256 (GNU) when the high bit of its first byte is set.
qint64 sizeField(QByteArrayView block)
{
    const QByteArrayView f = block.sliced(124, 12);
    qint64 size = 0;
    if (quint8(f.at(0)) & 0x80) {
        for (int i = 1; i < f.size(); ++i)
            size = (size << 8) | quint8(f.at(i));
        return size;
    }
    for (const char c : f) {
        if (c >= '0' && c <= '7')
            size = size * 8 + (c - '0');
        else if (size > 0 || (c != ' ' && c != '\0'))
            break;
    }
    return size;
}

// Whether the header's checksum holds (as unsigned bytes, or signed as old tars summed them):
// anything else is not a tar.
bool checksumHolds(QByteArrayView block)
{
    qint64 sum = 0;
    qint64 signedSum = 0;
    for (int i = 0; i < BlockSize; ++i) {
        const bool checksum = i >= 148 && i < 156;
        sum += checksum ? ' ' : quint8(block.at(i));
        signedSum += checksum ? ' ' : qint8(block.at(i));
    }
    qint64 stored = 0;
    bool digits = false;
    for (const char c : block.sliced(148, 8)) {
        if (c >= '0' && c <= '7') {
            stored = stored * 8 + (c - '0');
            digits = true;
        } else if (digits) {
            break;
        }
    }
    return digits && (stored == sum || stored == signedSum);
}

} // namespace

ArchiveLayout ArchiveLayoutProbe::see(const QString &entryPath)
{
    if (m_verdict != ArchiveLayout::Undecided)
        return m_verdict;
    const QString top = topLevelName(entryPath);
    if (top.isEmpty())
        return m_verdict;
    if (isImageArchiveName(top)) {
        m_verdict = ArchiveLayout::ImageArchive;
    } else if (isRootFilesystemName(top)) {
        m_rootNames.insert(top);
        if (m_rootNames.size() >= 2)
            m_verdict = ArchiveLayout::Filesystem;
    } else {
        m_otherNames.insert(top);
        if (m_otherNames.size() > MaxOtherNames)
            m_verdict = ArchiveLayout::Unknown;
    }
    return m_verdict;
}

ArchiveLayout ArchiveLayoutProbe::finish()
{
    if (m_verdict == ArchiveLayout::Undecided)
        m_verdict = m_rootNames.isEmpty() ? ArchiveLayout::Unknown : ArchiveLayout::Filesystem;
    return m_verdict;
}

ArchiveLayout TarLayoutScanner::feed(QByteArrayView data)
{
    while (!data.isEmpty() && !m_ended && verdict() == ArchiveLayout::Undecided) {
        if (m_toSkip > 0) {
            const qint64 n = std::min<qint64>(m_toSkip, data.size());
            m_toSkip -= n;
            data = data.sliced(n);
            continue;
        }
        const qsizetype n = std::min<qsizetype>(BlockSize - m_block.size(), data.size());
        m_block.append(data.first(n));
        data = data.sliced(n);
        if (m_block.size() == BlockSize) {
            header(m_block);
            m_block.clear();
        }
    }
    return verdict();
}

void TarLayoutScanner::header(QByteArrayView block)
{
    if (std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; })) {
        m_ended = true; // the end-of-archive blocks
        m_probe.finish();
        return;
    }
    if (!checksumHolds(block)) {
        m_ended = true; // not a tar: the load will say what it is
        return;
    }
    const char type = block.at(156);
    const qint64 size = sizeField(block);
    // Devices and fifos have no data whatever their size field says.
    if (type != '3' && type != '4' && type != '6')
        m_toSkip = (size + BlockSize - 1) / BlockSize * BlockSize;
    // GNU long names and pax headers describe the next header, which carries the name too.
    if (type == 'L' || type == 'K' || type == 'x' || type == 'g')
        return;
    QByteArray name = field(block, 0, 100).toByteArray();
    if (field(block, 257, 5) == "ustar") {
        const QByteArrayView prefix = field(block, 345, 155);
        if (!prefix.isEmpty())
            name = prefix.toByteArray() + '/' + name;
    }
    m_probe.see(QString::fromUtf8(name));
}

Error filesystemArchiveError(const QString &archive)
{
    Error error = Error::make(Error::Kind::InvalidArgument,
                              tr("'%1' is a filesystem archive (as docker export writes), not an "
                                 "image archive: import it to make an image of it.")
                                  .arg(archive));
    error.code = QString::fromLatin1(FilesystemArchiveCode);
    return error;
}

bool isFilesystemArchiveError(const Error &error)
{
    return error.code == QLatin1String(FilesystemArchiveCode);
}

} // namespace Berth
