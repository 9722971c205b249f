#include "importdialog.h"

#include "archivefiles.h"
#include "inlinemessage.h"
#include "jobprogress.h"
#include "transfermanager.h"

#include "archive/imagechanges.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

ImportDialog::ImportDialog(TransferManager *transfers, QWidget *parent)
    : QDialog(parent)
    , m_transfers(transfers)
    , m_chooseFile(chooseWithFileDialog)
    , m_fromFile(new QRadioButton(tr("&File:"), this))
    , m_fromUrl(new QRadioButton(tr("&URL:"), this))
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("&Browse…"), this))
    , m_url(new QLineEdit(this))
    , m_sourceError(new InlineMessage(this))
    , m_reference(new QLineEdit(this))
    , m_referenceError(new InlineMessage(this))
    , m_changes(new QPlainTextEdit(this))
    , m_changesError(new InlineMessage(this))
    , m_messageText(new QLineEdit(this))
    , m_import(new QPushButton(tr("&Import"), this))
    , m_progress(new JobProgress(this))
    , m_result(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    Q_ASSERT(transfers);
    setObjectName(QStringLiteral("ImportDialog"));
    setWindowTitle(tr("Import a Filesystem as an Image"));

    auto *intro = new QLabel(tr("Makes a one-layer image from a filesystem archive, such as one "
                                "written by <i>docker export</i>. Compressed archives are "
                                "recognised."),
                             this);
    intro->setWordWrap(true);

    auto *group = new QButtonGroup(this);
    group->addButton(m_fromFile);
    group->addButton(m_fromUrl);
    m_fromFile->setChecked(true);
    m_fromFile->setObjectName(QStringLiteral("fromFile"));
    m_fromFile->setAccessibleName(tr("Import from a file"));
    m_fromUrl->setObjectName(QStringLiteral("fromUrl"));
    m_fromUrl->setAccessibleName(tr("Import from a URL"));
    m_path->setObjectName(QStringLiteral("path"));
    m_path->setAccessibleName(tr("Filesystem archive"));
    m_path->setPlaceholderText(tr("/path/to/rootfs.tar"));
    m_path->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("browse"));
    m_browse->setAccessibleName(tr("Choose the filesystem archive"));
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setAccessibleName(tr("Address of the filesystem archive"));
    m_url->setPlaceholderText(tr("https://example.com/rootfs.tar.gz"));
    m_url->setClearButtonEnabled(true);
    m_reference->setObjectName(QStringLiteral("reference"));
    m_reference->setAccessibleName(tr("Repository and tag"));
    m_reference->setPlaceholderText(tr("my-image:1.0 (optional)"));
    m_reference->setToolTip(tr("Leave empty for an untagged image, as docker import does."));
    m_reference->setClearButtonEnabled(true);
    m_changes->setObjectName(QStringLiteral("changes"));
    m_changes->setAccessibleName(tr("Dockerfile changes, one per line"));
    m_changes->setPlaceholderText(
        tr("One instruction per line, for example:\nCMD [\"/bin/sh\"]\nENV LANG=C.UTF-8\n"
           "EXPOSE 8080"));
    m_changes->setToolTip(tr("CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, "
                             "VOLUME, WORKDIR and HEALTHCHECK, as in a Dockerfile."));
    m_changes->setTabChangesFocus(true);
    m_changes->setFixedHeight(m_changes->fontMetrics().lineSpacing() * 6);
    m_messageText->setObjectName(QStringLiteral("message"));
    m_messageText->setAccessibleName(tr("Message for the image's history"));
    m_messageText->setPlaceholderText(tr("Imported from … (optional)"));
    m_import->setObjectName(QStringLiteral("import"));
    m_import->setAccessibleName(tr("Import the archive"));
    m_import->setDefault(true);
    m_sourceError->setObjectName(QStringLiteral("sourceError"));
    m_referenceError->setObjectName(QStringLiteral("referenceError"));
    m_changesError->setObjectName(QStringLiteral("changesError"));
    m_result->setObjectName(QStringLiteral("result"));
    for (InlineMessage *m : {m_sourceError, m_referenceError, m_changesError})
        m->setCloseButtonVisible(false);
    m_progress->hide();

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(m_fromFile, fileRow);
    form->addRow(m_fromUrl, m_url);
    form->addRow(QString(), m_sourceError);
    const auto row = [&](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&Repository:tag:"), m_reference);
    form->addRow(QString(), m_referenceError);
    row(tr("&Changes:"), m_changes);
    form->addRow(QString(), m_changesError);
    row(tr("&Message:"), m_messageText);

    // Return runs the default button, never Close (which stops a running job).
    m_buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    m_buttons->addButton(m_import, QDialogButtonBox::ActionRole);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_import, &QPushButton::clicked, this, &ImportDialog::start);
    connect(m_progress, &JobProgress::finished, this, &ImportDialog::jobFinished);
    connect(m_fromFile, &QRadioButton::toggled, this, &ImportDialog::validate);
    for (QLineEdit *edit : {m_path, m_url, m_reference, m_messageText})
        connect(edit, &QLineEdit::textChanged, this, &ImportDialog::validate);
    connect(m_changes, &QPlainTextEdit::textChanged, this, &ImportDialog::validate);
    // Typing in a field picks its source.
    connect(m_path, &QLineEdit::textEdited, m_fromFile, [this] { m_fromFile->setChecked(true); });
    connect(m_url, &QLineEdit::textEdited, m_fromUrl, [this] { m_fromUrl->setChecked(true); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addStretch();
    layout->addWidget(m_buttons);
    validate();
    resize(560, sizeHint().height());
}

void ImportDialog::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
}

void ImportDialog::setPath(const QString &path)
{
    m_fromFile->setChecked(true);
    m_path->setText(path);
}

void ImportDialog::browse()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Open;
    request.caption = tr("Import a Filesystem Archive");
    request.suggestedPath = m_path->text().trimmed().isEmpty()
                                ? defaultArchiveDirectory()
                                : QFileInfo(m_path->text().trimmed()).absolutePath();
    request.filter = tr("Filesystem archives (*.tar *.tar.gz *.tgz *.tar.zst *.tar.xz *.tar.bz2)")
                     + QStringLiteral(";;") + tr("All files (*)");
    const QString chosen = m_chooseFile(this, request);
    if (!chosen.isEmpty())
        setPath(chosen);
}

Result<ArchiveSource> ImportDialog::source() const
{
    if (m_fromFile->isChecked()) {
        const QString path = m_path->text().trimmed();
        if (path.isEmpty())
            return fail(Error::Kind::InvalidArgument, tr("Choose the archive to import."));
        const QFileInfo info(path);
        if (!info.exists())
            return fail(Error::Kind::InvalidArgument, tr("%1 does not exist.").arg(path));
        if (!info.isFile())
            return fail(Error::Kind::InvalidArgument, tr("%1 is not a file.").arg(path));
        return ArchiveSource::file(info.absoluteFilePath());
    }
    const QString text = m_url->text().trimmed();
    if (text.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Enter the archive's address."));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
        || url.host().isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    tr("'%1' is not an http or https address, such as "
                       "https://example.com/rootfs.tar.gz.")
                        .arg(text));
    return ArchiveSource::fromUrl(url);
}

Result<std::optional<ImageReference>> ImportDialog::reference() const
{
    const QString text = m_reference->text().trimmed();
    if (text.isEmpty())
        return std::optional<ImageReference>();
    auto parsed = ImageReference::parse(text);
    if (!parsed)
        return fail(parsed.error());
    if (parsed->hasDigest())
        return fail(Error::Kind::InvalidArgument,
                    tr("An imported image gets a tag, not a digest: remove '@%1'.")
                        .arg(parsed->digest().toString()));
    return std::optional<ImageReference>(*parsed);
}

QStringList ImportDialog::changes() const
{
    QStringList lines;
    const QStringList all = m_changes->toPlainText().split(u'\n');
    for (const QString &line : all) {
        if (!line.trimmed().isEmpty())
            lines.append(line.trimmed());
    }
    return lines;
}

Status ImportDialog::validateChanges(const QStringList &changes)
{
    // One at a time on a scratch configuration, in order (ENV may refer to an earlier one), so
    // the message can name the line.
    QJsonObject scratch;
    int number = 0;
    for (const QString &change : changes) {
        ++number;
        if (const Status applied = applyImageChanges(scratch, {change}); !applied)
            return fail(Error::Kind::InvalidArgument,
                        tr("Line %1: %2").arg(number).arg(applied.error().message));
    }
    return {};
}

void ImportDialog::validate()
{
    const bool running = m_job && m_job->isActive();
    bool ok = true;

    const auto src = source();
    // An empty field is not an error yet: the Import button says it all.
    const bool sourceGiven
        = !(m_fromFile->isChecked() ? m_path : m_url)->text().trimmed().isEmpty();
    if (!src && sourceGiven)
        m_sourceError->showError(src.error().message);
    else
        m_sourceError->clear();
    ok = ok && bool(src);

    const auto ref = reference();
    if (!ref)
        m_referenceError->showError(ref.error().message);
    else
        m_referenceError->clear();
    ok = ok && bool(ref);

    const Status changed = validateChanges(changes());
    if (!changed)
        m_changesError->showError(changed.error().message);
    else
        m_changesError->clear();
    ok = ok && bool(changed);

    m_path->setEnabled(!running && m_fromFile->isChecked());
    m_browse->setEnabled(!running && m_fromFile->isChecked());
    m_url->setEnabled(!running && m_fromUrl->isChecked());
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_fromFile, m_fromUrl, m_reference, m_changes, m_messageText})
        w->setEnabled(!running);
    m_import->setEnabled(ok && !running);
    m_buttons->button(QDialogButtonBox::Close)
        ->setText(running ? tr("Cancel Import") : tr("Close"));
    fitToContents();
}

bool ImportDialog::start()
{
    if (!m_transfers || (m_job && m_job->isActive()))
        return false;
    const auto src = source();
    const auto ref = reference();
    const QStringList lines = changes();
    if (!src || !ref || !validateChanges(lines))
        return false;
    ImportRequest request;
    request.reference = *ref;
    request.changes = lines;
    request.message = m_messageText->text().trimmed();
    m_result->clear();
    m_job = m_transfers->importFilesystem(*src, request);
    m_progress->setJobs({m_job});
    m_progress->show();
    validate();
    return true;
}

void ImportDialog::jobFinished()
{
    validate();
    if (!m_job)
        return;
    switch (m_job->state()) {
    case TransferJob::State::Done: {
        const QString image = m_job->resultImages().value(0);
        m_result->showPositive(tr("Imported %1.").arg(image));
        emit imported(image);
        break;
    }
    case TransferJob::State::Failed:
        m_result->showError(tr("%1\nNo image was made. Check the archive, then import again.")
                                .arg(m_job->errorString()));
        break;
    case TransferJob::State::Cancelled:
        m_result->showInformation(tr("The import was cancelled; no image was made."));
        break;
    case TransferJob::State::Queued:
    case TransferJob::State::Running:
        break;
    }
    fitToContents();
}

void ImportDialog::reject()
{
    if (m_job && m_job->isActive()) {
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

void ImportDialog::fitToContents()
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
