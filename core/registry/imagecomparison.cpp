#include "imagecomparison.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace Berth {

namespace {

// The longest-common-subsequence lengths of the suffixes: table[i][j] for first[i..], second[j..].
QList<QList<int>> commonRunTable(const QList<Descriptor> &first, const QList<Descriptor> &second)
{
    QList<QList<int>> table(first.size() + 1, QList<int>(second.size() + 1, 0));
    for (qsizetype i = first.size() - 1; i >= 0; --i) {
        for (qsizetype j = second.size() - 1; j >= 0; --j) {
            table[i][j] = first.at(i).digest == second.at(j).digest
                              ? table[i + 1][j + 1] + 1
                              : std::max(table[i + 1][j], table[i][j + 1]);
        }
    }
    return table;
}

QString execForm(const QStringList &arguments)
{
    if (arguments.isEmpty())
        return QString();
    const QByteArray json
        = QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact);
    // Spaced as a Dockerfile writes it: ["a", "b"].
    QString text = QString::fromUtf8(json);
    return text.replace(QStringLiteral("\",\""), QStringLiteral("\", \""));
}

ConfigFieldComparison singleValue(const QString &field, const QString &first, const QString &second)
{
    ConfigFieldComparison comparison;
    comparison.field = field;
    const auto value = [](const QString &text) {
        return text.isEmpty() ? std::nullopt : std::optional<QString>(text);
    };
    comparison.entries.append({QString(), value(first), value(second)});
    return comparison;
}

using KeyedValues = QList<std::pair<QString, QString>>;

ConfigFieldComparison
keyedValues(const QString &field, const KeyedValues &first, const KeyedValues &second)
{
    ConfigFieldComparison comparison;
    comparison.field = field;
    QHash<QString, qsizetype> rows;
    for (const auto &[key, value] : first) {
        rows.insert(key, comparison.entries.size());
        comparison.entries.append({key, value, std::nullopt});
    }
    for (const auto &[key, value] : second) {
        const auto row = rows.constFind(key);
        if (row != rows.cend())
            comparison.entries[*row].second = value;
        else
            comparison.entries.append({key, std::nullopt, value});
    }
    return comparison;
}

KeyedValues environment(const QStringList &env)
{
    KeyedValues values;
    for (const QString &variable : env) {
        const qsizetype equals = variable.indexOf(u'=');
        values.append(equals < 0 ? std::pair(variable, QString())
                                 : std::pair(variable.left(equals), variable.mid(equals + 1)));
    }
    return values;
}

KeyedValues ports(const QStringList &exposed)
{
    KeyedValues values;
    for (const QString &port : exposed)
        values.append({port, port});
    return values;
}

KeyedValues labels(const QMap<QString, QString> &map)
{
    KeyedValues values;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        values.append({it.key(), it.value()});
    return values;
}

} // namespace

bool ConfigFieldComparison::differs() const
{
    return std::any_of(
        entries.cbegin(), entries.cend(), [](const ConfigEntry &e) { return e.differs(); });
}

bool ConfigFieldComparison::isKeyed() const
{
    return entries.size() != 1 || !entries.first().key.isEmpty();
}

int ImageComparison::differingFields() const
{
    return int(std::count_if(config.cbegin(), config.cend(), [](const ConfigFieldComparison &f) {
        return f.differs();
    }));
}

QList<LayerPair> alignLayers(const QList<Descriptor> &first, const QList<Descriptor> &second)
{
    const QList<QList<int>> table = commonRunTable(first, second);
    QList<LayerPair> rows;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < first.size() || j < second.size()) {
        if (i < first.size() && j < second.size() && first.at(i).digest == second.at(j).digest) {
            rows.append({first.at(i++), second.at(j++)});
        } else if (j >= second.size() || (i < first.size() && table[i + 1][j] >= table[i][j + 1])) {
            rows.append({first.at(i++), std::nullopt});
        } else {
            rows.append({std::nullopt, second.at(j++)});
        }
    }
    return rows;
}

QList<ConfigFieldComparison> compareConfigs(const ImageConfig &first, const ImageConfig &second)
{
    return {
        keyedValues(QStringLiteral("Env"), environment(first.env), environment(second.env)),
        singleValue(QStringLiteral("Cmd"), execForm(first.cmd), execForm(second.cmd)),
        singleValue(
            QStringLiteral("Entrypoint"), execForm(first.entrypoint), execForm(second.entrypoint)),
        singleValue(QStringLiteral("User"), first.user, second.user),
        singleValue(QStringLiteral("WorkingDir"), first.workingDir, second.workingDir),
        keyedValues(
            QStringLiteral("ExposedPorts"), ports(first.exposedPorts), ports(second.exposedPorts)),
        keyedValues(QStringLiteral("Labels"), labels(first.labels), labels(second.labels)),
    };
}

ImageComparison compareImages(const InspectedImage &first, const InspectedImage &second)
{
    ImageComparison comparison;
    const QList<Descriptor> &a = first.manifest.layers;
    const QList<Descriptor> &b = second.manifest.layers;
    comparison.layers = alignLayers(a, b);
    comparison.firstLayers = int(a.size());
    comparison.secondLayers = int(b.size());
    comparison.firstSize = first.manifest.layersSize();
    comparison.secondSize = second.manifest.layersSize();
    QSet<QString> inSecond;
    for (const Descriptor &layer : b)
        inSecond.insert(layer.digest.toString());
    for (const Descriptor &layer : a) {
        if (inSecond.contains(layer.digest.toString())) {
            ++comparison.sharedLayers;
            comparison.sharedSize += layer.size;
        }
    }
    comparison.config = compareConfigs(first.config, second.config);
    return comparison;
}

QList<PlatformSizes> comparePlatformSizes(const QList<PlatformImage> &first,
                                          const QList<PlatformImage> &second)
{
    QList<PlatformSizes> rows;
    const auto rowOf = [&rows](const Platform &platform) -> PlatformSizes & {
        for (PlatformSizes &row : rows) {
            if (row.platform.toString() == platform.toString())
                return row;
        }
        rows.append({platform, std::nullopt, std::nullopt});
        return rows.last();
    };
    for (const PlatformImage &image : first) {
        if (!image.platform.isUnknown() && !image.platform.os.isEmpty())
            rowOf(image.platform).first = image.size;
    }
    for (const PlatformImage &image : second) {
        if (!image.platform.isUnknown() && !image.platform.os.isEmpty())
            rowOf(image.platform).second = image.size;
    }
    return rows;
}

} // namespace Berth
