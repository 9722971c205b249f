#include "accountsmodel.h"

#include "reference/imagereference.h"

namespace Berth {

AccountsModel::AccountsModel(CredentialStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    Q_ASSERT(store);
    connect(store, &CredentialStore::accountsChanged, this, &AccountsModel::reload);
    m_accounts = store->accounts();
}

void AccountsModel::reload()
{
    beginResetModel();
    m_accounts = m_store ? m_store->accounts() : QList<CredentialStore::Account>();
    endResetModel();
}

int AccountsModel::find(const QString &registry) const
{
    const QString wanted = ImageReference::normalizeRegistry(registry);
    for (int row = 0; row < int(m_accounts.size()); ++row) {
        if (m_accounts.at(row).registry == wanted)
            return row;
    }
    return -1;
}

QString AccountsModel::storageName(const CredentialStore::Account &account)
{
    const QString where = account.remember == CredentialStore::Remember::SessionOnly
                              ? tr("This session only")
                              : tr("System keychain");
    return account.dockerCli ? tr("%1, and the docker CLI").arg(where) : where;
}

int AccountsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_accounts.size());
}

int AccountsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CredentialStore::Account &a = m_accounts.at(index.row());
    const bool hub = a.registry == ImageReference::dockerHubDomain();
    switch (role) {
    case RegistryRole:
        return a.registry;
    case SessionOnlyRole:
        return a.remember == CredentialStore::Remember::SessionOnly;
    case DockerCliRole:
        return a.dockerCli;
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(index.column())) {
        case RegistryColumn:
            return hub ? tr("Docker Hub") : a.registry;
        case UserColumn:
            return a.username;
        case StorageColumn:
            return storageName(a);
        case ColumnCount:
            break;
        }
        return {};
    case RawValueRole:
        switch (Column(index.column())) {
        case RegistryColumn:
            return a.registry;
        case UserColumn:
            return a.username;
        case StorageColumn:
            return int(a.remember);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1 on %2").arg(a.username, a.registry);
    default:
        return {};
    }
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case RegistryColumn:
        return tr("Registry");
    case UserColumn:
        return tr("User");
    case StorageColumn:
        return tr("Kept in");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> AccountsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(RegistryRole, "registry");
    names.insert(SessionOnlyRole, "sessionOnly");
    names.insert(DockerCliRole, "dockerCli");
    return names;
}

} // namespace Berth
