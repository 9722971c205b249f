#include "share/sharefilepage.h"

#include "archivefiles.h"
#include "inlinemessage.h"
#include "share/sharewording.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

ShareFilePage::ShareFilePage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(
          QIcon::fromTheme(QStringLiteral("document-open-folder")), tr("&Browse…"), this))
    , m_compression(new QComboBox(this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("filePage"));
    setTitle(tr("Archive File"));
    setSubTitle(tr("Where to save the images, and whether to compress them."));
    setButtonText(QWizard::NextButton, tr("&Save"));

    m_path->setObjectName(QStringLiteral("path"));
    m_path->setAccessibleName(tr("Archive file"));
    m_path->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("browse"));
    m_browse->setAccessibleName(tr("Choose the archive file"));
    m_compression->setObjectName(QStringLiteral("compression"));
    m_compression->setAccessibleName(tr("Compression"));
    m_compression->addItem(tr("None (.tar)"), int(Compression::None));
    m_compression->addItem(tr("gzip (.tar.gz): read everywhere"), int(Compression::Gzip));
    m_compression->addItem(tr("zstd (.tar.zst): faster, smaller"), int(Compression::Zstd));
    m_compression->setToolTip(tr("docker load and podman load read all three."));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setCloseButtonVisible(false);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    auto *compressionLabel = new QLabel(tr("&Compression:"), this);
    compressionLabel->setBuddy(m_compression);
    form->addRow(compressionLabel, m_compression);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();

    connect(m_path, &QLineEdit::textEdited, this, [this] { m_pathEdited = true; });
    connect(m_path, &QLineEdit::textChanged, this, &ShareFilePage::pathChanged);
    connect(
        m_compression, &QComboBox::currentIndexChanged, this, &ShareFilePage::compressionChanged);
    connect(m_browse, &QPushButton::clicked, this, &ShareFilePage::browse);
}

QString ShareFilePage::path() const
{
    return m_path->text().trimmed();
}

Compression ShareFilePage::compression() const
{
    return Compression(m_compression->currentData().toInt());
}

void ShareFilePage::setCompression(Compression compression)
{
    const int index = m_compression->findData(int(compression));
    if (index >= 0)
        m_compression->setCurrentIndex(index);
}

void ShareFilePage::initializePage()
{
    const QStringList images = m_wizard->selectedImages();
    if (m_pathEdited || images == m_suggestedFor) {
        pathChanged();
        return;
    }
    m_suggestedFor = images;
    const QString base
        = images.size() == 1 ? suggestedArchiveBaseName(images.first()) : QStringLiteral("images");
    m_path->setText(QDir(defaultArchiveDirectory()).filePath(base + archiveSuffix(compression())));
}

void ShareFilePage::pathChanged()
{
    if (!m_syncing) {
        // The file's ending chooses the compression, as it does for docker save's users.
        const QString suffix = archiveSuffixOf(path());
        const Compression fromName = compressionForFileName(path());
        if (!suffix.isEmpty() && m_compression->findData(int(fromName)) >= 0) {
            m_syncing = true;
            setCompression(fromName);
            m_syncing = false;
        }
    }
    const Status valid = validatePath();
    if (!valid)
        m_message->showError(valid.error().message);
    else if (QFileInfo::exists(path()))
        m_message->showMessage(InlineMessage::Kind::Warning,
                               tr("%1 exists and will be replaced.").arg(path()));
    else
        m_message->clear();
    emit completeChanged();
}

void ShareFilePage::compressionChanged()
{
    if (m_syncing || path().isEmpty())
        return;
    m_syncing = true;
    m_path->setText(withArchiveSuffix(path(), compression()));
    m_syncing = false;
}

Status ShareFilePage::validatePath() const
{
    const QString file = path();
    if (file.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Choose where to save the archive."));
    const QFileInfo info(file);
    if (info.isDir())
        return fail(Error::Kind::InvalidArgument, tr("%1 is a folder: add a file name.").arg(file));
    if (!info.absoluteDir().exists())
        return fail(Error::Kind::InvalidArgument,
                    tr("The folder %1 does not exist.").arg(info.absolutePath()));
    const QString suffix = archiveSuffixOf(file);
    if (!suffix.isEmpty() && m_compression->findData(int(compressionForFileName(file))) < 0)
        return fail(Error::Kind::InvalidArgument,
                    tr("Berth saves .tar, .tar.gz and .tar.zst archives: change the file's "
                       "ending."));
    return {};
}

bool ShareFilePage::isComplete() const
{
    return bool(validatePath());
}

bool ShareFilePage::browse()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Save;
    request.caption = tr("Save the Images");
    request.suggestedPath = path().isEmpty() ? defaultArchiveDirectory() : path();
    request.filter = tr("Image archives (*.tar *.tar.gz *.tar.zst)") + QStringLiteral(";;")
                     + tr("All files (*)");
    QString chosen = m_wizard->fileChooser()(this, request);
    if (chosen.isEmpty())
        return false;
    if (archiveSuffixOf(chosen).isEmpty())
        chosen += archiveSuffix(compression());
    m_pathEdited = true;
    m_path->setText(chosen);
    return true;
}

} // namespace Berth
