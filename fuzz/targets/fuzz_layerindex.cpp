// Looking inside a layer: byte 0 chooses what the rest is. Even: a layer blob (any compression,
// or none) fed to the layer indexer in pieces whose size byte 1 chooses; an index it accepts must
// open and hold its entries in strict tree order, each found where it is and each directory's
// children inside its subtree. Odd: an index file, as a damaged cache could hold one; whatever
// IndexFile::open accepts is walked through (every entry, every directory's children, every
// path looked up) without reading outside the file.

#include "fuzzsupport.h"

#include "contents/indexfile.h"
#include "contents/layerindexer.h"

#include <QFile>
#include <QTemporaryDir>

using namespace Berth;

namespace {

// Reads everything an index offers; `strict`: what the writer promises must hold too.
void walk(const IndexFile &index, bool strict)
{
    for (qint64 i = 0; i < index.count(); ++i) {
        const ContentsEntry e = index.entry(i);
        const qint64 found = index.find(e.path);
        if (strict && found != i)
            BerthFuzz::broken("an entry is not found where it is", displayPath(e.path));
        if (strict && i > 0 && compareTreeOrder(index.path(i - 1), e.path) >= 0)
            BerthFuzz::broken("entries out of tree order", displayPath(e.path));
        if (!e.isDirectory())
            continue;
        for (qint64 child : index.children(i)) {
            if (strict && (child <= i || !isWithin(index.path(child), e.path)))
                BerthFuzz::broken("a child outside its directory", displayPath(e.path));
        }
    }
    (void)index.children(-1);
    (void)index.lowerBound("etc/");
}

void indexLayer(const QByteArray &blob, qsizetype piece, const QString &path)
{
    LayerIndexer indexer(QStringLiteral("Fuzz layer"), {}, path);
    indexer.setRunLimit(64); // the spilled runs and their merge, with small inputs
    for (qsizetype at = 0; at < blob.size(); at += piece)
        if (!indexer.write(QByteArrayView(blob).sliced(at, std::min(piece, blob.size() - at))))
            return;
    auto summary = indexer.finish();
    if (!summary)
        return;
    auto index = IndexFile::open(path);
    if (!index)
        BerthFuzz::broken("the indexer's own file does not open", index.error().message);
    if (index->meta().value(QStringLiteral("entries")).toInteger() != summary->entries)
        BerthFuzz::broken("the index's meta differs from the summary");
    walk(*index, true);
}

void openIndex(const QByteArray &bytes, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        BerthFuzz::broken("cannot write the scratch file");
    file.close();
    if (auto index = IndexFile::open(path))
        walk(*index, false);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    static QTemporaryDir scratch;
    if (size < 2)
        return 0;
    const QByteArray input = BerthFuzz::bytes(data + 2, size - 2);
    const QString path = scratch.filePath(QStringLiteral("fuzz.idx"));
    if (data[0] % 2 == 0)
        indexLayer(input, 1 + qsizetype(data[1]) * 97, path);
    else
        openIndex(input, path);
    QFile::remove(path);
    return 0;
}
