#include "exportdialog.h"

#include "archivefiles.h"
#include "inlinemessage.h"
#include "transfermanager.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

ExportDialog::ExportDialog(TransferManager *transfers,
                           const QString &containerOrImage,
                           QWidget *parent)
    : JobDialog(transfers, parent)
    , m_what(containerOrImage)
    , m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(
          QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Browse…"), this))
    , m_pathError(new InlineMessage(this))
    , m_platform(new QComboBox(this))
    , m_platformError(new InlineMessage(this))
    , m_export(
          new QPushButton(QIcon::fromTheme(QStringLiteral("document-export")), tr("&Export"), this))
    , m_file(new QLabel(this))
    , m_showInFolder(new QPushButton(
          QIcon::fromTheme(QStringLiteral("folder-open")), tr("Show in &Folder"), this))
{
    setObjectName(QStringLiteral("ExportDialog"));
    setWindowTitle(tr("Export the Filesystem of %1").arg(containerOrImage));
    describeFields();
    layOutFields();

    addActionButton(m_export);
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::start);
    connect(m_showInFolder, &QPushButton::clicked, this, &ExportDialog::showInFolder);
    const auto validate = [this] {
        refresh();
        fitToContents();
    };
    connect(m_path, &QLineEdit::textChanged, this, validate);
    connect(m_platform, &QComboBox::currentTextChanged, this, validate);
    refresh();
    resize(540, sizeHint().height());
}

void ExportDialog::describeFields()
{
    m_path->setObjectName(QStringLiteral("path"));
    m_path->setAccessibleName(tr("Tar file to write"));
    m_path->setText(
        QDir(lastFolder(QStringLiteral("export")))
            .filePath(suggestedArchiveBaseName(m_what) + QStringLiteral("-rootfs.tar")));
    m_path->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("browse"));
    m_browse->setAccessibleName(tr("Choose the tar file to write"));
    m_platform->setObjectName(QStringLiteral("platform"));
    m_platform->setAccessibleName(tr("Platform"));
    m_platform->setEditable(true);
    m_platform->setInsertPolicy(QComboBox::NoInsert);
    m_platform->setToolTip(tr("For an image made for several platforms: which one to export, "
                              "such as linux/arm64. Empty: this computer's."));
    m_platform->lineEdit()->setPlaceholderText(
        tr("This computer's (%1)").arg(Platform::host().toString()));
    m_pathError->setObjectName(QStringLiteral("pathError"));
    m_pathError->setCloseButtonVisible(false);
    m_platformError->setObjectName(QStringLiteral("platformError"));
    m_platformError->setCloseButtonVisible(false);
    m_export->setObjectName(QStringLiteral("export"));
    m_export->setAccessibleName(tr("Export the filesystem"));
    m_file->setObjectName(QStringLiteral("file"));
    m_file->setTextFormat(Qt::PlainText);
    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_file->setAccessibleName(tr("Written file"));
    m_file->setWordWrap(true);
    m_showInFolder->setObjectName(QStringLiteral("showInFolder"));
    m_showInFolder->setAccessibleName(tr("Show the written file in its folder"));
    m_file->hide();
    m_showInFolder->hide();
}

void ExportDialog::layOutFields()
{
    auto *what = new QLabel(this);
    what->setObjectName(QStringLiteral("what"));
    what->setTextFormat(Qt::PlainText);
    what->setText(m_what);
    what->setTextInteractionFlags(Qt::TextSelectableByMouse);
    what->setAccessibleName(tr("Exported container or image"));
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Filesystem of:"), what);
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    form->addRow(QString(), m_pathError);
    auto *platformLabel = new QLabel(tr("&Platform:"), this);
    platformLabel->setBuddy(m_platform);
    form->addRow(platformLabel, m_platform);
    form->addRow(QString(), m_platformError);

    auto *resultRow = new QHBoxLayout;
    resultRow->addWidget(m_file, 1);
    resultRow->addWidget(m_showInFolder);
    fieldsLayout()->addLayout(form);
    resultLayout()->addLayout(resultRow);
}

void ExportDialog::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    if (opener)
        m_openUrl = std::move(opener);
}

void ExportDialog::setPlatforms(const QStringList &platforms)
{
    const QString current = m_platform->currentText();
    m_platform->clear();
    m_platform->addItem(QString());
    m_platform->setItemData(0, tr("This computer's platform"), Qt::AccessibleTextRole);
    m_platform->addItems(platforms);
    m_platform->setCurrentText(current);
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

Result<std::optional<Platform>> ExportDialog::platform() const
{
    const QString text = m_platform->currentText().trimmed();
    if (text.isEmpty())
        return std::optional<Platform>();
    auto parsed = Platform::parse(text);
    if (!parsed)
        return fail(parsed.error());
    return std::optional<Platform>(*parsed);
}

bool ExportDialog::browse()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Save;
    request.caption = tr("Export the Filesystem of %1").arg(m_what);
    request.suggestedPath = path().isEmpty()
                                ? suggestedArchiveBaseName(m_what) + QStringLiteral("-rootfs.tar")
                                : path();
    request.filter = filesystemArchiveFileFilter();
    request.purpose = QStringLiteral("export");
    const QString chosen = askForFile(request);
    if (chosen.isEmpty())
        return false;
    setPath(chosen);
    return true;
}

void ExportDialog::updateState()
{
    const bool running = isRunning();
    const auto chosen = platform();
    if (!chosen)
        m_platformError->showError(chosen.error().message);
    else
        m_platformError->clear();
    bool pathOk = !path().isEmpty();
    m_pathError->clear();
    if (pathOk) {
        const QFileInfo info(path());
        if (info.isDir()) {
            m_pathError->showError(tr("%1 is a folder: add a file name.").arg(path()));
            pathOk = false;
        } else if (!info.absoluteDir().exists()) {
            m_pathError->showError(tr("The folder %1 does not exist.").arg(info.absolutePath()));
            pathOk = false;
        }
    }
    m_path->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_platform->setEnabled(!running);
    m_export->setEnabled(!running && pathOk && bool(chosen));
}

bool ExportDialog::start()
{
    if (!transfers() || isRunning())
        return false;
    const auto chosen = platform();
    if (!chosen || path().isEmpty())
        return false;
    const QString file = QFileInfo(path()).absoluteFilePath();
    m_file->hide();
    m_showInFolder->hide();
    rememberFolder(QStringLiteral("export"), FileRequest::Mode::Save, file);
    follow(transfers()->exportFilesystem(m_what, file, *chosen));
    return true;
}

void ExportDialog::jobSucceeded(TransferJob *job)
{
    message()->showPositive(tr("The filesystem of %1 was written to:").arg(m_what));
    m_file->setText(job->outputFile());
    m_file->show();
    m_showInFolder->show();
    m_showInFolder->setFocus();
    emit exported(job->outputFile());
}

QString ExportDialog::nothingDone() const
{
    return tr("No file was written.");
}

QString ExportDialog::cancelledText() const
{
    return tr("The export was cancelled; no file was written.");
}

QString ExportDialog::cancelButtonText() const
{
    return tr("Cancel Export");
}

void ExportDialog::showInFolder()
{
    if (!job() || job()->outputFile().isEmpty())
        return;
    m_openUrl(QUrl::fromLocalFile(QFileInfo(job()->outputFile()).absolutePath()));
}

} // namespace Berth
