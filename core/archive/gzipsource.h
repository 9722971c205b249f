#pragma once

#include "archive/tarreader.h"
#include "common/result.h"
#include "common/sha256.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

struct inflate_state;

namespace Berth {

// Inflates a gzip stream (one member or several, as `cat a.gz b.gz` makes) with ISA-L's igzip,
// several times faster than zlib, and hashes every inflated byte: the layer's diff_id. Each
// member's trailer CRC is checked; input that ends inside a member, or bytes after the last
// member that start no other, are an error.
class GzipSource final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    // `input` gives the compressed bytes (0 at the end, -1 on failure); `name` is for messages.
    GzipSource(TarReader::BlockFunction input, QString name);
    ~GzipSource();
    Q_DISABLE_COPY_MOVE(GzipSource)

    // Inflated bytes into `out`: 0 at the end of the stream, -1 with error() set on failure.
    qint64 read(char *out, qint64 max);
    // Inflates and hashes what the reader left unread, and answers the diff_id.
    Result<Digest> finish();
    const std::optional<Error> &error() const { return m_error; }
    // Inflated bytes so far: after finish(), the size of the whole uncompressed stream.
    qint64 inflatedSize() const { return m_inflated; }

private:
    bool fillInput();
    bool startNextMember();
    qint64 fail(const QString &reason);

    TarReader::BlockFunction m_input;
    QString m_name;
    std::unique_ptr<inflate_state> m_state;
    Sha256 m_hash;
    qint64 m_inflated = 0;
    bool m_inputEnded = false;
    bool m_ended = false;
    std::optional<Error> m_error;
};

} // namespace Berth
