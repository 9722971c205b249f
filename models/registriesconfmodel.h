#pragma once

#include "network/registriesconf.h"

#include <QAbstractTableModel>

#include <memory>

namespace Berth {

// What registries.conf puts in effect, one row each, read-only: the mirrors of each registry, the
// prefixes rewritten to another location, the insecure and blocked registries, the search
// registries, and the problems found (file:line: message), each with the file it came from.
class RegistriesConfModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { KindColumn, RegistryColumn, DetailColumn, FileColumn, ColumnCount };
    enum class Kind { Mirror, Rewrite, Insecure, Blocked, Search, Problem };

    explicit RegistriesConfModel(QObject *parent = nullptr);

    void setConf(std::shared_ptr<const RegistriesConf> conf);

    // When no row: which files were read, and that none configures anything (or that none
    // exists).
    QString emptyText() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        Kind kind;
        QString registry;
        QString detail;
        QString file;
    };
    static QList<Row> rowsOf(const RegistriesConf &conf);
    static QString kindName(Kind kind);

    std::shared_ptr<const RegistriesConf> m_conf;
    QList<Row> m_rows;
};

} // namespace Berth
