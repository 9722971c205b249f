#include "archive/gzipsource.h"

#include <isa-l/igzip_lib.h>

namespace Berth {

GzipSource::GzipSource(TarReader::BlockFunction input, QString name)
    : m_input(std::move(input))
    , m_name(std::move(name))
    , m_state(std::make_unique<inflate_state>())
{
    isal_inflate_init(m_state.get());
    m_state->crc_flag = ISAL_GZIP;
}

GzipSource::~GzipSource() = default;

qint64 GzipSource::fail(const QString &reason)
{
    if (!m_error)
        m_error = Error::make(Error::Kind::InvalidArgument,
                              tr("%1: %2").arg(tr("'%1' is damaged").arg(m_name), reason));
    return -1;
}

// Takes the next block of compressed input once the last is used up; false at its end or on the
// source's failure.
bool GzipSource::fillInput()
{
    if (m_state->avail_in > 0)
        return true;
    if (m_inputEnded)
        return false;
    const char *block = nullptr;
    const qint64 n = m_input(&block);
    if (n < 0) {
        m_error = Error::make(Error::Kind::Io, tr("Cannot read '%1'.").arg(m_name));
        return false;
    }
    m_inputEnded = n == 0;
    // isal never writes through next_in; the block stays the source's until the next call.
    m_state->next_in = reinterpret_cast<uint8_t *>(const_cast<char *>(block));
    m_state->avail_in = uint32_t(n);
    return n > 0;
}

// After a member's trailer: the stream ends, or another member follows (false with error() set
// when the bytes that follow are no gzip member).
bool GzipSource::startNextMember()
{
    if (!fillInput()) {
        m_ended = !m_error;
        return false;
    }
    if (m_state->next_in[0] != 0x1f) {
        fail(tr("data follows the end of the gzip stream"));
        return false;
    }
    uint8_t *next = m_state->next_in;
    const uint32_t avail = m_state->avail_in;
    isal_inflate_reset(m_state.get());
    m_state->crc_flag = ISAL_GZIP;
    m_state->next_in = next;
    m_state->avail_in = avail;
    return true;
}

qint64 GzipSource::read(char *out, qint64 max)
{
    if (m_error)
        return -1;
    for (;;) {
        if (m_ended)
            return 0;
        if (m_state->block_state == ISAL_BLOCK_FINISH) {
            if (!startNextMember())
                return m_error ? -1 : 0;
            continue;
        }
        if (!fillInput() && m_error)
            return -1;
        m_state->next_out = reinterpret_cast<uint8_t *>(out);
        m_state->avail_out = uint32_t(std::min<qint64>(max, 1 << 30));
        const int rc = isal_inflate(m_state.get());
        if (rc == ISAL_INCORRECT_CHECKSUM)
            return fail(tr("the gzip checksum (CRC) does not match the data"));
        if (rc < 0)
            return fail(tr("invalid gzip data"));
        const qint64 n = reinterpret_cast<char *>(m_state->next_out) - out;
        if (n > 0) {
            m_hash.addData(out, n);
            m_inflated += n;
            return n;
        }
        if (m_state->avail_in == 0 && m_inputEnded && m_state->block_state != ISAL_BLOCK_FINISH)
            return fail(tr("the gzip data ends early (truncated)"));
    }
}

Result<Digest> GzipSource::finish()
{
    QByteArray scratch(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = read(scratch.data(), scratch.size());
        if (n < 0)
            return Berth::fail(*m_error);
        if (n == 0)
            break;
    }
    return *Digest::parse(m_hash.digest());
}

} // namespace Berth
