#pragma once

#include "store/imagebackend.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTreeWidget;

namespace Berth {

class ImageFilesView;
class InlineMessage;
class TransferManager;

// What `docker inspect` says of a local image, readable: an overview (tags, ID, digests, size,
// platform), the configuration (entrypoint, command, environment, ports, labels…), the layers and
// the build history (ImageBackend::history, as `berthctl history`) with the Dockerfile it
// reconstructs. Loads on its own; not modal. loaded() follows once the history is in too.
class ImageDetailsDialog final : public QDialog
{
    Q_OBJECT

public:
    ImageDetailsDialog(ImageBackend *backend, const QString &nameOrId, QWidget *parent = nullptr);

    // Adds the Files tab: the image's files, read from the backend when the tab is first shown,
    // through `transfers`' jobs.
    void showFiles(TransferManager *transfers);

    bool isLoaded() const { return m_loaded; }
    // The value shown for a field of the overview or configuration ("Image ID", "Command"…).
    QString fieldText(const QString &objectName) const;

signals:
    void loaded();
    void failed(const QString &message);

private:
    void setUpLists(); // layers, history, Dockerfile
    QWidget *buildHistoryPage();
    void readDetails(); // then display() or the error
    void display(const LocalImageDetails &details);
    void readHistory(const LocalImageDetails &details);
    void showHistory(const QList<ImageHistoryRow> &rows, const LocalImageDetails &details);
    void showLayers(const LocalImageDetails &details, const QList<qint64> &engineSizes);
    void finishLoading();

    QPointer<ImageBackend> m_backend;
    QString m_name;
    QStackedWidget *m_stack;
    QLabel *m_loading;
    InlineMessage *m_error;
    QTabWidget *m_tabs;
    QWidget *m_overview;
    QWidget *m_config;
    QTreeWidget *m_layers;
    QTreeWidget *m_history;
    QPlainTextEdit *m_dockerfile;
    ImageFilesView *m_files = nullptr;
    bool m_loaded = false;
};

} // namespace Berth
