#pragma once

#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeView;

namespace Berth {

class FileChangesFilter;
class ImageFilesModel;
class InlineMessage;
class LayerIndexCache;
class RegistryClient;
class TagFilesComparer;
class TransferManager;
struct FilesComparison;

// The Files section of the comparison: what the second tag added, changed and deleted in the
// first one's files, as a tree (coloured by change, sizes old → new), a summary line and a filter
// by kind. Reading both images' files streams the layers the index cache lacks, so it starts on
// request ("Compare Files"), runs in the background as a job of the Transfers dock, and can be
// cancelled here or there. A new pair of tags cancels what runs and asks again.
class FileCompareView final : public QWidget
{
    Q_OBJECT

public:
    explicit FileCompareView(RegistryClient *registry, QWidget *parent = nullptr);
    ~FileCompareView() override;

    // Where layer indexes are kept and where the job shows (without them: a cache of its own
    // in the default place, and no job).
    void setServices(std::shared_ptr<LayerIndexCache> cache, TransferManager *transfers);

    // The two images to compare; an invalid reference clears the section.
    void setImages(const ImageReference &first,
                   const ImageReference &second,
                   const std::optional<Platform> &platform);
    void compareFiles();
    void cancel();

    bool isRunning() const;
    std::shared_ptr<const FilesComparison> comparison() const;

signals:
    void filesShown();
    void failed(const Berth::Error &error);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildToolbar();
    void updateState();
    void showProgress(qint64 done, qint64 total);
    void showComparison();
    void showFailure(const Error &error);
    void applyKinds();
    void applyChangeColours();
    void fitColumns();

    TagFilesComparer *m_comparer;
    ImageReference m_first;
    ImageReference m_second;
    std::optional<Platform> m_platform;
    ImageFilesModel *m_files = nullptr; // over the diff tree, replaced with each comparison
    FileChangesFilter *m_filter;

    QPushButton *m_compare;
    QPushButton *m_cancel;
    QCheckBox *m_added;
    QCheckBox *m_changed;
    QCheckBox *m_deleted;
    InlineMessage *m_message;
    QAction *m_retry;
    QLabel *m_summary;
    QProgressBar *m_progress;
    QTreeView *m_tree;
};

} // namespace Berth
