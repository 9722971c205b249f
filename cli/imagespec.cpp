#include "imagespec.h"

#include "clicontext.h"

#include <QList>

namespace Berth::Cli {

namespace {

constexpr QStringView ArchivePrefix = u"archive:";

Result<ImageSpec> parseArchive(const QString &text)
{
    ImageSpec spec;
    spec.kind = ImageSpec::Kind::Archive;
    spec.text = text;
    const QString rest = text.mid(ArchivePrefix.size());
    const qsizetype colon = rest.indexOf(u':');
    spec.file = colon < 0 ? rest : rest.left(colon);
    spec.image = colon < 0 ? QString() : rest.mid(colon + 1);
    if (spec.file.isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    tr("'%1' names no archive file: write archive:FILE[:IMAGE]").arg(text));
    if (colon >= 0 && spec.image.isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    tr("'%1' ends with ':': name the image of the archive after it, or leave "
                       "the ':' out")
                        .arg(text));
    return spec;
}

int hexValue(QChar c)
{
    if (c >= u'0' && c <= u'9')
        return c.unicode() - u'0';
    if (c >= u'a' && c <= u'f')
        return c.unicode() - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c.unicode() - u'A' + 10;
    return -1;
}

// displayPath()'s escapes undone: \xNN is one byte, \\ a backslash; the rest is UTF-8.
Result<QByteArray> unescape(const QString &text)
{
    QByteArray bytes;
    qsizetype plainStart = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != u'\\')
            continue;
        bytes += QStringView(text).mid(plainStart, i - plainStart).toUtf8();
        if (i + 1 < text.size() && text.at(i + 1) == u'\\') {
            bytes += '\\';
            i += 1;
        } else if (i + 3 < text.size() && text.at(i + 1) == u'x' && hexValue(text.at(i + 2)) >= 0
                   && hexValue(text.at(i + 3)) >= 0) {
            bytes += char(hexValue(text.at(i + 2)) * 16 + hexValue(text.at(i + 3)));
            i += 3;
        } else {
            return fail(
                Error::Kind::InvalidArgument,
                tr("'%1': a backslash starts \\xNN (a byte) or \\\\ (a backslash)").arg(text));
        }
        plainStart = i + 1;
    }
    bytes += QStringView(text).mid(plainStart).toUtf8();
    return bytes;
}

} // namespace

Result<ImageSpec> parseImageSpec(const QString &text, bool local)
{
    if (text.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("the image name is empty"));
    if (text.startsWith(ArchivePrefix))
        return parseArchive(text);
    ImageSpec spec;
    spec.text = text;
    if (local) {
        spec.kind = ImageSpec::Kind::Local;
        spec.local = text;
        return spec;
    }
    auto reference = ImageReference::parse(text);
    if (!reference)
        return fail(reference.error());
    spec.reference = *reference;
    return spec;
}

Result<ImagePathSpec> splitImagePath(const QString &text)
{
    // "archive:/tmp/a.tar:/etc" has a ":/" in its prefix: look past it.
    const qsizetype from = text.startsWith(ArchivePrefix) ? ArchivePrefix.size() : 0;
    const qsizetype split = text.indexOf(QStringLiteral(":/"), from);
    if (split <= 0)
        return fail(
            Error::Kind::InvalidArgument,
            tr("'%1' is not IMAGE:/PATH (the path inside the image starts with '/')").arg(text));
    return ImagePathSpec{text.left(split), text.mid(split + 1)};
}

Result<ImagePath> parseImagePath(const QString &text)
{
    auto bytes = unescape(text);
    if (!bytes)
        return fail(bytes.error());
    if (bytes->contains('\0'))
        return fail(Error::Kind::InvalidArgument, tr("'%1': a path holds no NUL byte").arg(text));
    QList<QByteArray> parts;
    for (const QByteArray &part : bytes->split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            if (!parts.isEmpty())
                parts.removeLast();
            continue;
        }
        parts.append(part);
    }
    ImagePath path;
    path.path = parts.join('/');
    path.trailingSlash = bytes->endsWith('/') || bytes->endsWith("/.") || *bytes == ".";
    return path;
}

} // namespace Berth::Cli
