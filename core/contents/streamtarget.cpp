#include "contents/layerextract.h"

namespace Berth {

namespace {

// One regular file's bytes, for `cat` and previews: anything else is refused, and once `limit`
// bytes are out it says it has enough (the extractor then stops the layer's stream).
class StreamTarget final : public ExtractTarget
{
public:
    StreamTarget(std::function<Status(QByteArrayView)> write, qint64 limit)
        : m_write(std::move(write))
        , m_limit(limit)
    {}

    Status directory(const ContentsEntry &, QByteArrayView relative) override
    {
        return notAFile(relative);
    }
    Status symlink(const ContentsEntry &, QByteArrayView relative) override
    {
        return notAFile(relative);
    }
    Status hardLink(const ContentsEntry &, QByteArrayView relative, QByteArrayView) override
    {
        return notAFile(relative);
    }
    Status special(const ContentsEntry &, QByteArrayView relative) override
    {
        return notAFile(relative);
    }
    Status beginFile(const ContentsEntry &, QByteArrayView relative) override
    {
        if (m_begun)
            return fail(Error::Kind::InvalidArgument,
                        Berth::tr("Only one file can be read at a time, not also '%1'.")
                            .arg(displayPath(relative)));
        m_begun = true;
        return enoughIfFull();
    }
    Status fileData(QByteArrayView data) override
    {
        if (m_limit >= 0)
            data = data.first(std::min<qint64>(data.size(), m_limit - m_written));
        if (!data.isEmpty()) {
            if (Status s = m_write(data); !s)
                return s;
            m_written += data.size();
        }
        return enoughIfFull();
    }
    Status endFile() override { return {}; }
    Status finish() override { return {}; }

private:
    Status notAFile(QByteArrayView relative) const
    {
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' is not a regular file.").arg(displayPath(relative)));
    }
    Status enoughIfFull() const
    {
        if (m_limit < 0 || m_written < m_limit)
            return {};
        Error e = Error::make(Error::Kind::Cancelled, Berth::tr("Every file is out."));
        e.code = LayerFileExtractor::EnoughCode;
        return fail(e);
    }

    std::function<Status(QByteArrayView)> m_write;
    qint64 m_limit;
    qint64 m_written = 0;
    bool m_begun = false;
};

} // namespace

std::unique_ptr<ExtractTarget> streamTarget(std::function<Status(QByteArrayView)> write,
                                            qint64 limit)
{
    return std::make_unique<StreamTarget>(std::move(write), limit);
}

} // namespace Berth
