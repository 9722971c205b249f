#pragma once

#include "credentials/credentialstore.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace Berth {

// Berth's logins as CredentialStore lists them: registry, user name and where the login is kept
// (the system keychain, or this session only). Never a secret. Follows accountsChanged().
class AccountsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RegistryColumn, UserColumn, StorageColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole + 1,
        RegistryRole,    // the normalised registry name
        SessionOnlyRole, // bool
        DockerCliRole,   // bool: the docker CLI was logged in too
    };
    Q_ENUM(Role)

    explicit AccountsModel(CredentialStore *store, QObject *parent = nullptr);

    CredentialStore *store() const { return m_store; }
    CredentialStore::Account account(int row) const { return m_accounts.value(row); }
    int find(const QString &registry) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString storageName(const CredentialStore::Account &account);

public slots:
    void reload();

private:
    QPointer<CredentialStore> m_store;
    QList<CredentialStore::Account> m_accounts;
};

} // namespace Berth
