#pragma once

#include "filechooser.h"

#include "common/cancel.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;
class QTreeView;

namespace Berth {

class ContentsSource;
class FilePreview;
class ImageBackend;
class ImageFilesModel;
class InlineMessage;
class IndexFile;
class TransferJob;
class TransferManager;
struct LoadedContents;

// The Files tab: what is inside an image without pulling it. A tree of its files (name, size,
// mode, owner, layer) over the merged tree, or over one layer's view with what that layer added,
// changed or deleted in colour; a name filter; the wasted-space score and the largest files; a
// bounded text preview; "Save As…" for a file or a folder (as files, or as a tar). Looking inside
// and saving are TransferJobs: their progress is in the Transfers dock, they can be cancelled
// there or here, and nothing waits on the GUI thread.
class ImageFilesView final : public QWidget
{
    Q_OBJECT

public:
    explicit ImageFilesView(TransferManager *transfers, QWidget *parent = nullptr);
    ~ImageFilesView() override;

    // The image to look inside (null: none), named for people ("debian:12 (linux/amd64)").
    // `watched` is the backend a local source reads from. Nothing is read until lookInside(),
    // or until the view is shown when autoLoad is on.
    void setSource(std::shared_ptr<ContentsSource> source,
                   const QString &name,
                   ImageBackend *watched = nullptr);
    void clear();
    // Look inside as soon as the view is shown with a source (local images: no download).
    void setAutoLoad(bool autoLoad);
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }
    // Where the jobs go (a view made before the manager existed gets it here).
    void setTransferManager(TransferManager *transfers);

    std::shared_ptr<const LoadedContents> contents() const { return m_contents; }
    TransferJob *currentJob() const { return m_job; }
    bool isLoading() const;

public slots:
    void lookInside();
    void cancel();
    // Layer 0 is the bottom one; -1 shows the whole image.
    void showLayer(int layer);
    void setFilterText(const QString &text);
    // Selects `path` in the tree (clearing a filter that hides it).
    bool selectPath(const QByteArray &path);
    void saveSelected();
    void saveSelectedAsArchive();

signals:
    void loaded();
    void failed();
    void treeShown(); // the tree of the layer chosen, after loaded() or showLayer()
    void saveStarted(Berth::TransferJob *job);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    enum class Page { Empty, Loading, Files };

    void setUpWidgets();
    void setUpActions();
    QWidget *buildEmptyPage();
    QWidget *buildLoadingPage();
    QWidget *buildFilesPage();
    QWidget *buildToolbar();
    void showPage(Page page);
    void showEmptyMessage();
    void followJob(TransferJob *job);
    void jobFinished(TransferJob *job, int generation);
    void contentsArrived(std::shared_ptr<LoadedContents> contents, int generation);
    void fillLayers();
    void fillSummary();
    void fillLargest();
    void setTree(std::shared_ptr<const IndexFile> tree);
    void applyFilter();
    void currentChanged();
    void updateActions();
    void updateFilterStatus();
    void applyChangeColours();
    QByteArray selectedPath() const;
    void startSave(bool asArchive);

    QPointer<TransferManager> m_transfers;
    std::shared_ptr<ContentsSource> m_source;
    QString m_name;
    QPointer<ImageBackend> m_watched;
    bool m_autoLoad = false;
    bool m_loadWhenShown = false;
    FileChooser m_chooseFile;
    std::shared_ptr<LoadedContents> m_contents;
    QPointer<TransferJob> m_job;
    int m_generation = 0;
    int m_layer = -1;
    CancelToken m_layerCancel;

    QStackedWidget *m_pages;
    QLabel *m_emptyText;
    QPushButton *m_lookInside;
    InlineMessage *m_notice;
    QAction *m_retry;
    QLabel *m_loadingText;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QComboBox *m_layers;
    QCheckBox *m_changesOnly;
    QLineEdit *m_filter;
    QTimer *m_filterSettle;
    QLabel *m_summary;
    QLabel *m_filterStatus;
    QTreeView *m_tree;
    ImageFilesModel *m_model;
    QListWidget *m_largest;
    FilePreview *m_preview;
    QAction *m_saveAs;
    QAction *m_saveArchive;
    QAction *m_focusFilter;
};

} // namespace Berth
