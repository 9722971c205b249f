#pragma once

// Layer indexes and trees written from short text lines, and records described as short text,
// for the data-driven tests of image trees and their diffs.

#include "contents/indexfile.h"

#include <QByteArrayList>
#include <QCryptographicHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace BerthTest {

using Berth::ContentsEntry;
using Berth::IndexFile;
using Berth::IndexWriter;

// A layer written as lines "KIND PATH [SIZE|TARGET] [m=MODE] [u=UID]": f file, d directory,
// o opaque directory, io opaque directory the layer only implies, w whiteout, s symlink,
// h hard link; c=SEED a content digest, t=MTIME. "." is the root (an opaque whiteout at the top of
// a layer).
using LayerSpec = QByteArrayList;

inline ContentsEntry parseEntry(const QByteArray &bytes)
{
    const QString line = QString::fromUtf8(bytes);
    QStringList positional;
    ContentsEntry e;
    e.mode = 0644;
    for (const QString &token : line.split(u' ', Qt::SkipEmptyParts)) {
        if (token.startsWith(u"m="))
            e.mode = token.mid(2).toUInt(nullptr, 8);
        else if (token.startsWith(u"u="))
            e.uid = token.mid(2).toUInt();
        else if (token.startsWith(u"c="))
            e.contentDigest
                = QCryptographicHash::hash(token.mid(2).toUtf8(), QCryptographicHash::Sha256);
        else if (token.startsWith(u"t="))
            e.mtime = token.mid(2).toLongLong();
        else
            positional << token;
    }
    const QString kind = positional.value(0);
    e.path = positional.value(1) == u"." ? QByteArray() : positional.value(1).toUtf8();
    const QByteArray third = positional.value(2).toUtf8();
    using Type = ContentsEntry::Type;
    if (kind == u"f") {
        e.size = third.toLongLong();
    } else if (kind == u"d" || kind == u"o" || kind == u"io") {
        e.type = Type::Directory;
        e.mode = line.contains(u"m=") ? e.mode : 0755;
        e.opaque = kind != u"d";
        e.implicit = kind == u"io";
    } else if (kind == u"w") {
        e.type = Type::Whiteout;
        e.mode = 0;
    } else if (kind == u"s" || kind == u"h") {
        e.type = kind == u"s" ? Type::Symlink : Type::HardLink;
        e.mode = kind == u"s" ? 0777 : 0644;
        e.linkTarget = third;
    } else {
        qFatal("test layer line '%s' has an unknown kind", qPrintable(line));
    }
    return e;
}

inline QString typeLetter(ContentsEntry::Type type)
{
    static const char letters[] = "fdlhcbpswo";
    return QString(QChar::fromLatin1(letters[int(type)]));
}

// The rows' notation: "-" for no change, then A, C, D.
inline QString changeMark(ContentsEntry::Change change)
{
    static const char letters[] = "-ACD";
    return QString(QChar::fromLatin1(letters[int(change)]));
}

// "path type mode layer change [size] [-> target]": one record as the rows expect it.
inline QString describeEntry(const ContentsEntry &e)
{
    QString s = Berth::displayPath(e.path) + u' ' + typeLetter(e.type)
                + (e.implicit ? u"*"_qs : QString()) + u' ' + QString::number(e.mode, 8) + u' '
                + QString::number(e.layer) + u' ' + changeMark(e.change);
    if (e.type == ContentsEntry::Type::File)
        s += u' ' + QString::number(e.size);
    if (!e.linkTarget.isEmpty())
        s += u" -> "_qs + Berth::displayPath(e.linkTarget);
    return s;
}

inline QString describeRecord(const IndexFile &tree, qint64 i)
{
    return describeEntry(tree.entry(i));
}

inline QByteArrayList describeTree(const IndexFile &tree)
{
    QByteArrayList out;
    for (qint64 i = 0; i < tree.count(); ++i)
        out << describeRecord(tree, i).toUtf8();
    return out;
}

// Layer indexes written from specs, as the indexer would, and kept open.
class Layers
{
public:
    Layers(const QString &dir, const QList<LayerSpec> &specs)
    {
        for (qsizetype n = 0; n < specs.size(); ++n) {
            const QString path = dir + u"/layer%1.idx"_qs.arg(n);
            auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
            if (!writer)
                qFatal("cannot create %s", qPrintable(path));
            for (const QByteArray &line : specs[n])
                if (!(*writer)->add(parseEntry(line)))
                    qFatal("cannot add '%s'", line.constData());
            if (!(*writer)->finish({}))
                qFatal("cannot write %s", qPrintable(path));
            auto file = IndexFile::open(path);
            if (!file)
                qFatal("cannot open %s", qPrintable(path));
            m_files.push_back(std::move(*file));
        }
    }

    QList<const IndexFile *> pointers() const
    {
        QList<const IndexFile *> out;
        for (const IndexFile &f : m_files)
            out << &f;
        return out;
    }

private:
    std::vector<IndexFile> m_files;
};

} // namespace BerthTest
