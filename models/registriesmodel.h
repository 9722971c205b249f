#pragma once

#include "common/result.h"
#include "registry/registrysettings.h"

#include <QAbstractTableModel>

namespace Berth {

// The registries the user works with: Docker Hub (always first, always there) and those the user
// added, each with "allow plain HTTP" (also unverified TLS), for local and self-hosted ones.
// Kept in QSettings as RegistrySettings says (core/registry), written at every change.
// Loopback registries (localhost, 127.0.0.0/8, [::1]) may use plain HTTP whatever the box says,
// as with docker.
class RegistriesModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, PlainHttpColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole + 1,
        HostRole,      // "docker.io", "localhost:5000"
        InsecureRole,  // bool
        RemovableRole, // false for Docker Hub
    };
    Q_ENUM(Role)

    using Registry = RegistryEntry;

    explicit RegistriesModel(QObject *parent = nullptr);

    // The registries the user added (Docker Hub excluded).
    QList<Registry> registries() const { return m_registries; }
    // Replaces them all (a settings dialog cancelled); saved.
    void setRegistries(const QList<Registry> &registries);
    // What RegistryClient::setInsecureRegistries takes.
    QStringList insecureRegistries() const;

    // Normalises and checks a registry name ("https://Registry.example.com/" ->
    // "registry.example.com"); the error says what is wrong with it.
    static Result<QString> validateHost(const QString &text);
    static bool isLoopback(const QString &host);

    Status addRegistry(const QString &text, bool insecure);
    bool removeRegistry(int row);
    bool setInsecure(int row, bool insecure);
    int find(const QString &host) const; // row, -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString settingsKey() { return RegistrySettings::arrayKey(); }

public slots:
    void load();

signals:
    void registriesChanged();

private:
    void save() const;

    QList<Registry> m_registries; // row = index + 1: Docker Hub is row 0
};

} // namespace Berth
