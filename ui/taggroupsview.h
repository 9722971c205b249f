#pragma once

#include "registry/taggrouping.h"
#include "registry/taginfo.h"

#include <QPersistentModelIndex>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QTreeView;

namespace Berth {

class TagFilterProxy;
class TagGroupsModel;

// A repository's tags grouped by image, with the instant filter above them. Labels are elided in
// the middle (the full list of an image's tags is its tooltip); columns fit their contents.
class TagGroupsView final : public QWidget
{
    Q_OBJECT

public:
    explicit TagGroupsView(TagGroupsModel *model, QWidget *parent = nullptr);

    // The current row's tag (an image row stands for its first tag) and image.
    std::optional<TagInfo> currentTag() const;
    const TagGroup *currentGroup() const;
    // The tags of the selected rows, in selection order, each once.
    QStringList selectedTags() const;
    // Makes `name` the current and only selected tag; false when there is no such tag.
    bool selectTag(const QString &name);
    void setFilterText(const QString &text);
    // Tags and platforms sized to their contents, within a share of the width.
    void fitColumns();

signals:
    void currentTagChanged();
    void selectionChanged();

private:
    void updateStatus();
    void followArrivingRows();
    void holdTopRow();
    void keepTopRow();

    TagGroupsModel *m_model;
    TagFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    QLabel *m_status;
    QPersistentModelIndex m_topRow; // the first row shown while rows arrive or move above it
};

} // namespace Berth
