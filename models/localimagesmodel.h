#pragma once

#include "store/imagebackend.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>

#include <memory>
#include <vector>

namespace Berth {

class UpdateChecker;

// The images of an ImageBackend, one top-level row per image ID; when several tags share the ID,
// each tag is a child row of it (so one tag can be removed or pushed on its own). refresh() asks
// the backend again and updates rows in place, so selections and expanded rows survive. Sorting
// and filtering belong to proxies: RawValueRole gives the value to compare. With an engine, the
// containers are listed too (at the same time) for the In use column; the model follows the
// backend's imagesChanged() and containersChanged() on its own.
class LocalImagesModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        InUseColumn, // "In use" when a container (running or not) was made from the image
        IdColumn,
        CreatedColumn,
        SizeColumn,
        PlatformColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole + 1,
        IdRole,        // the full image ID, "sha256:…"
        TagsRole,      // QStringList: the image's tags, or the one tag of a tag row
        ReferenceRole, // what to hand the backend for this row: the tag, else the image ID
        IsTagRole,     // true on a tag row (a child)
        InUseRole,     // bool: a container uses the image
        UsersRole,     // QStringList: the names of the containers using the image
        // int (UpdateState): the tag's, or for an image the most telling of its tags' (an update
        // first); Unknown without an UpdateChecker or before its check.
        UpdateStateRole,
        UpdateTextRole,   // what the check found, which digests differ: the chip's tooltip
        OutdatedTagsRole, // QStringList: the row's tags that have an update
    };
    Q_ENUM(Role)

    explicit LocalImagesModel(QObject *parent = nullptr);
    ~LocalImagesModel() override;

    ImageBackend *backend() const { return m_backend; }
    // Empties the model; call refresh() to list the new backend's images.
    void setBackend(ImageBackend *backend);
    // Where UpdateStateRole comes from (not owned); rows change as its statuses do.
    void setUpdateChecker(UpdateChecker *checker);
    UpdateChecker *updateChecker() const;

    bool isLoading() const { return m_loading; }
    // Why the last refresh failed, in the user's words; empty after a success.
    QString errorString() const { return m_error; }

    LocalImage image(const QModelIndex &index) const;
    // The row of an image, by full or short ID, or of a tag ("node:15",
    // "docker.io/library/node:15").
    QModelIndex find(const QString &idOrTag) const;
    int imageCount() const { return int(m_images.size()); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

public slots:
    void refresh();

signals:
    void loadingChanged(bool loading);
    void refreshed();
    void refreshFailed(const QString &message);

private:
    struct Listing;
    struct Entry
    {
        LocalImage image;
        QStringList tags;     // sorted
        QStringList children; // the tags again when there are several, else empty
    };

    void listed(const std::shared_ptr<Listing> &listing);
    void apply(QList<LocalImage> images);
    void applyUsers(const QList<LocalContainer> &containers);
    QStringList usersOf(const LocalImage &image) const;
    void setLoading(bool loading);
    int rowOf(const Entry *entry) const;
    QVariant imageData(const Entry &entry, int column, int role) const;
    QVariant tagData(const Entry &entry, int row, int column, int role) const;
    QVariant updateData(const QStringList &tags, int role) const;
    void updateStatusChanged(const QString &tag);

    QPointer<ImageBackend> m_backend;
    std::vector<std::unique_ptr<Entry>> m_images; // stable addresses: child indexes point to them
    quint64 m_generation = 0;
    bool m_loading = false;
    QString m_error;
    QHash<QString, QList<LocalContainer>> m_users; // by image ID
    QPointer<UpdateChecker> m_checker;
};

} // namespace Berth
