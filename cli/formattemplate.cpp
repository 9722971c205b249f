#include "formattemplate.h"

#include "clicontext.h"

namespace Berth::Cli {

bool isFormatTemplate(const QString &format)
{
    return format.contains(u"{{");
}

Result<QString> expandFormatTemplate(const QString &format, const QHash<QString, QString> &fields)
{
    QString out;
    qsizetype at = 0;
    while (at < format.size()) {
        const qsizetype open = format.indexOf(u"{{", at);
        if (open < 0) {
            out += QStringView(format).mid(at);
            break;
        }
        out += QStringView(format).mid(at, open - at);
        const qsizetype close = format.indexOf(u"}}", open + 2);
        if (close < 0)
            return fail(Error::Kind::InvalidArgument,
                        tr("the --format template has a '{{' without its '}}': %1").arg(format));
        const QString field = format.mid(open + 2, close - open - 2).trimmed();
        const auto value = fields.constFind(field.startsWith(u'.') ? field.mid(1) : QString());
        if (value == fields.cend()) {
            QStringList names = fields.keys();
            names.sort();
            for (QString &name : names)
                name.prepend(u'.');
            return fail(Error::Kind::InvalidArgument,
                        tr("the --format template names an unknown field '%1': use %2")
                            .arg(field, names.join(QStringLiteral(", "))));
        }
        out += *value;
        at = close + 2;
    }
    return out;
}

Status checkFormatTemplate(const QString &format, const QStringList &fieldNames)
{
    QHash<QString, QString> empty;
    for (const QString &name : fieldNames)
        empty.insert(name, QString());
    const Result<QString> expanded = expandFormatTemplate(format, empty);
    if (!expanded)
        return fail(expanded.error());
    return {};
}

} // namespace Berth::Cli
