#include "loaddialog.h"

#include "archivefiles.h"
#include "inlinemessage.h"
#include "jobprogress.h"
#include "transfermanager.h"

#include <QDialogButtonBox>
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
    : QDialog(parent)
    , m_transfers(transfers)
    , m_chooseFile(chooseWithFileDialog)
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("&Browse…"), this))
    , m_load(new QPushButton(tr("&Load"), this))
    , m_progress(new JobProgress(this))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    Q_ASSERT(transfers);
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
    m_load->setDefault(true);
    m_message->setObjectName(QStringLiteral("message"));
    m_progress->hide();

    auto *label = new QLabel(tr("&Archive:"), this);
    label->setBuddy(m_path);
    auto *row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_path, 1);
    row->addWidget(m_browse);

    m_buttons->addButton(m_load, QDialogButtonBox::ActionRole);
    // Return loads (the default button); Close must not take that role when focus moves to it
    // while a load runs, or Return would cancel the load it just started.
    m_buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LoadDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &LoadDialog::browse);
    connect(m_load, &QPushButton::clicked, this, &LoadDialog::start);
    connect(m_path, &QLineEdit::textChanged, this, [this] {
        m_message->clear();
        updateState();
    });
    connect(m_progress, &JobProgress::finished, this, &LoadDialog::jobFinished);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(m_buttons);
    updateState();
    resize(520, sizeHint().height());
}

void LoadDialog::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
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
    request.suggestedPath
        = path().isEmpty() ? defaultArchiveDirectory() : QFileInfo(path()).absolutePath();
    request.filter = archiveFileFilter();
    const QString chosen = m_chooseFile(this, request);
    if (!chosen.isEmpty())
        setPath(chosen);
}

bool LoadDialog::start()
{
    if (!m_transfers || (m_job && m_job->isActive()))
        return false;
    const QString file = path();
    if (file.isEmpty())
        return false;
    const QFileInfo info(file);
    if (!info.isFile()) {
        m_message->showError(info.exists()
                                 ? tr("%1 is not a file. Choose an image archive.").arg(file)
                                 : tr("%1 does not exist. Check the path, or choose the "
                                      "archive with Browse.")
                                       .arg(file));
        fitToContents();
        return false;
    }
    m_message->clear();
    m_job = m_transfers->load(info.absoluteFilePath());
    m_progress->setJobs({m_job});
    m_progress->show();
    updateState();
    fitToContents();
    return true;
}

void LoadDialog::jobFinished()
{
    updateState();
    if (!m_job)
        return;
    switch (m_job->state()) {
    case TransferJob::State::Done: {
        const QStringList images = m_job->resultImages();
        QStringList lines;
        for (const QString &image : images) {
            lines.append(image.startsWith(u"sha256:") ? tr("Loaded image ID: %1").arg(image)
                                                      : tr("Loaded image: %1").arg(image));
        }
        if (lines.isEmpty())
            lines.append(tr("The archive held no image."));
        m_message->showPositive(lines.join(u'\n'));
        emit loaded(images);
        break;
    }
    case TransferJob::State::Failed:
        m_message->showError(tr("%1\nNothing was loaded. Choose another archive, or make it "
                                "again with docker save or Berth.")
                                 .arg(m_job->errorString()));
        break;
    case TransferJob::State::Cancelled:
        m_message->showInformation(tr("Loading was cancelled; nothing was loaded."));
        break;
    case TransferJob::State::Queued:
    case TransferJob::State::Running:
        break;
    }
    fitToContents();
}

void LoadDialog::updateState()
{
    const bool running = m_job && m_job->isActive();
    m_load->setEnabled(!running && !path().isEmpty());
    m_path->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_buttons->button(QDialogButtonBox::Close)
        ->setText(running ? tr("Cancel Loading") : tr("Close"));
}

void LoadDialog::reject()
{
    // Esc stops the load first; a second Esc closes.
    if (m_job && m_job->isActive()) {
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

void LoadDialog::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localArchive(event->mimeData()).isEmpty() && !(m_job && m_job->isActive()))
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

void LoadDialog::fitToContents()
{
    if (!layout())
        return;
    layout()->activate();
    const int wanted = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : sizeHint().height();
    if (wanted > height())
        resize(width(), wanted);
}

} // namespace Berth
