#include "registriesconfmodel.h"

namespace Berth {

namespace {

QString pullFromText(const RegistryRule &rule, const RegistryMirror &mirror)
{
    if (rule.mirrorByDigestOnly || mirror.pullFrom == PullFromMirror::DigestOnly)
        return RegistriesConfModel::tr("%1 (pulls by digest only)");
    if (mirror.pullFrom == PullFromMirror::TagOnly)
        return RegistriesConfModel::tr("%1 (pulls by tag only)");
    return QStringLiteral("%1");
}

} // namespace

RegistriesConfModel::RegistriesConfModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RegistriesConfModel::setConf(std::shared_ptr<const RegistriesConf> conf)
{
    beginResetModel();
    m_conf = std::move(conf);
    m_rows = m_conf ? rowsOf(*m_conf) : QList<Row>();
    endResetModel();
}

QList<RegistriesConfModel::Row> RegistriesConfModel::rowsOf(const RegistriesConf &conf)
{
    QList<Row> rows;
    for (const RegistryRule &rule : conf.rules()) {
        for (const RegistryMirror &mirror : rule.mirrors) {
            const QString insecure = mirror.insecure ? tr(", insecure") : QString();
            rows.append({Kind::Mirror,
                         rule.prefix,
                         pullFromText(rule, mirror).arg(mirror.location + insecure),
                         rule.file});
        }
        if (!rule.location.isEmpty() && rule.location != rule.prefix)
            rows.append({Kind::Rewrite, rule.prefix, rule.location, rule.file});
        if (rule.insecure)
            rows.append({Kind::Insecure,
                         rule.location.isEmpty() ? rule.prefix : rule.location,
                         QString(),
                         rule.file});
        if (rule.blocked)
            rows.append({Kind::Blocked, rule.prefix, QString(), rule.file});
    }
    if (conf.searchRegistriesConfigured())
        rows.append({Kind::Search,
                     conf.searchRegistries().join(QStringLiteral(", ")),
                     tr("short names are looked up there, in this order"),
                     conf.searchRegistriesFile()});
    for (const RegistriesConfProblem &problem : conf.problems())
        rows.append({Kind::Problem,
                     QString(),
                     problem.line > 0 ? tr("line %1: %2").arg(problem.line).arg(problem.message)
                                      : problem.message,
                     problem.file});
    return rows;
}

QString RegistriesConfModel::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Mirror:
        return tr("Mirror");
    case Kind::Rewrite:
        return tr("Goes to");
    case Kind::Insecure:
        return tr("Insecure");
    case Kind::Blocked:
        return tr("Blocked");
    case Kind::Search:
        return tr("Search");
    case Kind::Problem:
        return tr("Problem");
    }
    return {};
}

QString RegistriesConfModel::emptyText() const
{
    const QStringList files = m_conf ? m_conf->filesRead() : QStringList();
    if (files.isEmpty())
        return tr("No registries.conf file exists (in /etc/containers or "
                  "~/.config/containers): no mirror, insecure or blocked registry is configured.");
    return tr("Read %1; none configures a mirror, an insecure or blocked registry, or search "
              "registries.",
              nullptr,
              int(files.size()))
        .arg(files.join(QStringLiteral(", ")));
}

int RegistriesConfModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RegistriesConfModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RegistriesConfModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    // Columns may be elided: the tooltip says the whole of the detail and of the path.
    if (role == Qt::ToolTipRole && index.column() == FileColumn)
        return row.file;
    if (role == Qt::ToolTipRole && index.column() == DetailColumn && !row.detail.isEmpty())
        return row.detail;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KindColumn:
        return kindName(row.kind);
    case RegistryColumn:
        return row.registry;
    case DetailColumn:
        return row.detail;
    case FileColumn:
        return row.file;
    default:
        return {};
    }
}

QVariant RegistriesConfModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KindColumn:
        return tr("What");
    case RegistryColumn:
        return tr("Registry");
    case DetailColumn:
        return tr("Details");
    case FileColumn:
        return tr("File");
    default:
        return {};
    }
}

} // namespace Berth
