#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

namespace Berth {

// One path of an image's filesystem as a layer records it. Paths are the tar's own bytes (which
// need not be UTF-8), normalised: no "./" prefix, no leading or trailing '/', never "." or "..".
struct ContentsEntry
{
    enum class Type : quint8 {
        File,
        Directory,
        Symlink,
        HardLink,
        CharDevice,
        BlockDevice,
        Fifo,
        Socket,
        Whiteout, // `.wh.NAME` in a layer: NAME and what lower layers hold under it are gone
        Other,
    };
    // What a path's entry did to the layers below it (image trees only; layer indexes say None).
    enum class Change : quint8 { None, Added, Changed, Deleted };

    QByteArray path;
    QByteArray linkTarget;    // a symlink's target as stored; a hard link's normalised path
    QByteArray contentDigest; // sha256 of a regular file's data (32 raw bytes); empty if unknown
    qint64 size = 0;          // a regular file's data size; 0 for everything else
    qint64 mtime = 0;         // seconds since the epoch
    quint32 mode = 0;         // permission bits with set-uid/set-gid/sticky, no type bits
    quint32 uid = 0;
    quint32 gid = 0;
    Type type = Type::File;
    bool opaque = false;   // a directory hiding its lower layers' children (`.wh..wh..opq`)
    bool implicit = false; // a directory the layer only implies (a child named it, no header)
    // Image trees only: the layer (0 = bottom) whose entry this is, and what it changed.
    quint16 layer = 0;
    Change change = Change::None;

    bool isDirectory() const { return type == Type::Directory; }
    QString typeName() const; // "file", "directory", "symlink", … (stable: JSON and tests use it)
    static QString typeName(Type type);
};

// Orders paths so that a directory comes right before its subtree: compared byte by byte with '/'
// below every other byte ("a/b" < "a/b/c" < "a/b-c" < "a/bc"). Index files are sorted this way,
// which makes a subtree one contiguous range and lets sorted indexes merge in one pass.
int compareTreeOrder(QByteArrayView a, QByteArrayView b);
inline bool treeOrderLess(QByteArrayView a, QByteArrayView b)
{
    return compareTreeOrder(a, b) < 0;
}

// Whether `path` is `ancestor` itself or inside it ("" is the root, the ancestor of everything).
bool isWithin(QByteArrayView path, QByteArrayView ancestor);
QByteArrayView parentPath(QByteArrayView path); // "" for a top-level name
QByteArrayView baseName(QByteArrayView path);

// A path for people: UTF-8 decoded where it is valid UTF-8; every other byte, and control
// characters, written as \xNN (a backslash as \\), so that a hostile name can neither pass for
// another nor move the terminal's cursor. Never loses information: distinct paths stay distinct.
QString displayPath(QByteArrayView raw);

// "A", "C", "D" as `docker diff` writes them; "" for None.
QString changeLetter(ContentsEntry::Change change);

// "drwxr-xr-x", "-rwsr-xr-x", "lrwxrwxrwx": the type letter and the mode bits, as `ls -l` shows.
QString modeString(ContentsEntry::Type type, quint32 mode);

} // namespace Berth
