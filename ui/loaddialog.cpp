#include "loaddialog.h"

#include "archivefiles.h"
#include "importdialog.h"
#include "inlinemessage.h"
#include "transfermanager.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

namespace {

QString localArchive(const QMimeData *data)
{
    if (!data || !data->hasUrls())
        return {};
    const QList<QUrl> urls = data->urls();
    if (urls.size() != 1 || !LoadDialog::isArchiveUrl(urls.first()))
        return {};
    return urls.first().toLocalFile();
}

} // namespace

LoadDialog::LoadDialog(TransferManager *transfers, QWidget *parent)
    : JobDialog(transfers, parent)
    , m_path(new QLineEdit(this))
    , m_browse(
          new QPushButton(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Browse…"), this))
    , m_load(
          new QPushButton(QIcon::fromTheme(QStringLiteral("document-import")), tr("&Load"), this))
{
    setObjectName(QStringLiteral("LoadDialog"));
    setWindowTitle(tr("Load Images From an Archive"));
    setAcceptDrops(true);

    auto *intro = new QLabel(tr("Choose an archive made by <i>docker save</i>, <i>podman save</i> "
                                "or Berth, or drop it here. Plain, gzip, zstd, xz and bzip2 "
                                "archives are read."),
                             this);
    intro->setWordWrap(true);
    m_path->setObjectName(QStringLiteral("path"));
    m_path->setAccessibleName(tr("Archive to load"));
    m_path->setPlaceholderText(tr("/path/to/images.tar.gz"));
    m_path->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("browse"));
    m_browse->setAccessibleName(tr("Choose the archive"));
    m_load->setObjectName(QStringLiteral("load"));
    m_load->setAccessibleName(tr("Load the archive"));

    auto *label = new QLabel(tr("&Archive:"), this);
    label->setBuddy(m_path);
    auto *row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_path, 1);
    row->addWidget(m_browse);
    fieldsLayout()->addWidget(intro);
    fieldsLayout()->addLayout(row);

    addActionButton(m_load);
    connect(m_browse, &QPushButton::clicked, this, &LoadDialog::browse);
    connect(m_load, &QPushButton::clicked, this, &LoadDialog::start);
    connect(m_path, &QLineEdit::textChanged, this, [this] {
        message()->clear();
        refresh();
    });
    refresh();
    resize(520, sizeHint().height());
}

QString LoadDialog::path() const
{
    return m_path->text().trimmed();
}

void LoadDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

bool LoadDialog::isArchiveUrl(const QUrl &url)
{
    return url.isLocalFile() && !archiveSuffixOf(url.toLocalFile()).isEmpty();
}

void LoadDialog::browse()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Open;
    request.caption = tr("Load Images From an Archive");
    request.suggestedPath = path().isEmpty() ? QString() : QFileInfo(path()).absolutePath();
    request.filter = imageArchiveFileFilter();
    request.purpose = QStringLiteral("load");
    const QString chosen = askForFile(request);
    if (!chosen.isEmpty())
        setPath(chosen);
}

bool LoadDialog::start()
{
    if (!transfers() || isRunning())
        return false;
    const QString file = path();
    if (file.isEmpty())
        return false;
    const QFileInfo info(file);
    if (!info.isFile()) {
        message()->showError(info.exists()
                                 ? tr("%1 is not a file. Choose an image archive.").arg(file)
                                 : tr("%1 does not exist. Check the path, or choose the "
                                      "archive with Browse.")
                                       .arg(file));
        fitToContents();
        return false;
    }
    follow(transfers()->load(info.absoluteFilePath()));
    return true;
}

ImportDialog *LoadDialog::importInstead()
{
    auto *dialog = new ImportDialog(transfers(), parentWidget());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileChooser(fileChooser());
    dialog->setPath(job() ? job()->subject().file : path());
    dialog->open();
    accept();
    return dialog;
}

void LoadDialog::jobSucceeded(TransferJob *job)
{
    const QStringList images = job->resultImages();
    QStringList lines;
    for (const QString &image : images) {
        lines.append(image.startsWith(u"sha256:") ? tr("Loaded image ID: %1").arg(image)
                                                  : tr("Loaded image: %1").arg(image));
    }
    if (lines.isEmpty())
        lines.append(tr("The archive held no image."));
    message()->showPositive(lines.join(u'\n'));
    emit loaded(images);
}

QString LoadDialog::nothingDone() const
{
    return tr("Nothing was loaded.");
}

QString LoadDialog::cancelledText() const
{
    return tr("Loading was cancelled; nothing was loaded.");
}

QString LoadDialog::cancelButtonText() const
{
    return tr("Cancel Loading");
}

void LoadDialog::updateState()
{
    const bool running = isRunning();
    m_load->setEnabled(!running && !path().isEmpty());
    m_path->setEnabled(!running);
    m_browse->setEnabled(!running);
}

bool LoadDialog::handlesAdvice(ErrorAdvice::Action action) const
{
    return action == ErrorAdvice::Action::Import || JobDialog::handlesAdvice(action);
}

void LoadDialog::takeAdvice(ErrorAdvice::Action action)
{
    if (action == ErrorAdvice::Action::Import)
        importInstead();
    else
        JobDialog::takeAdvice(action);
}

void LoadDialog::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localArchive(event->mimeData()).isEmpty() && !isRunning())
        event->acceptProposedAction();
}

void LoadDialog::dropEvent(QDropEvent *event)
{
    const QString file = localArchive(event->mimeData());
    if (file.isEmpty())
        return;
    event->acceptProposedAction();
    setPath(file);
    start();
}

} // namespace Berth
