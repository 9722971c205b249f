#include "importdialog.h"

#include "inlinemessage.h"
#include "transfermanager.h"

#include "archive/imagechanges.h"

#include <QButtonGroup>
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
    : JobDialog(transfers, parent)
    , m_fromFile(new QRadioButton(tr("&File:"), this))
    , m_fromUrl(new QRadioButton(tr("&URL:"), this))
    , m_path(new QLineEdit(this))
    , m_browse(
          new QPushButton(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Browse…"), this))
    , m_url(new QLineEdit(this))
    , m_sourceError(new InlineMessage(this))
    , m_reference(new QLineEdit(this))
    , m_referenceError(new InlineMessage(this))
    , m_changes(new QPlainTextEdit(this))
    , m_changesError(new InlineMessage(this))
    , m_messageText(new QLineEdit(this))
    , m_import(
          new QPushButton(QIcon::fromTheme(QStringLiteral("document-import")), tr("&Import"), this))
{
    setObjectName(QStringLiteral("ImportDialog"));
    setWindowTitle(tr("Import a Filesystem as an Image"));
    describeFields();
    layOutFields();

    addActionButton(m_import);
    connect(m_browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_import, &QPushButton::clicked, this, &ImportDialog::start);
    const auto validate = [this] {
        refresh();
        fitToContents();
    };
    connect(m_fromFile, &QRadioButton::toggled, this, validate);
    for (QLineEdit *edit : {m_path, m_url, m_reference, m_messageText})
        connect(edit, &QLineEdit::textChanged, this, validate);
    connect(m_changes, &QPlainTextEdit::textChanged, this, validate);
    // Typing in a field picks its source.
    connect(m_path, &QLineEdit::textEdited, m_fromFile, [this] { m_fromFile->setChecked(true); });
    connect(m_url, &QLineEdit::textEdited, m_fromUrl, [this] { m_fromUrl->setChecked(true); });
    refresh();
    resize(560, sizeHint().height());
}

void ImportDialog::describeFields()
{
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
    m_sourceError->setObjectName(QStringLiteral("sourceError"));
    m_referenceError->setObjectName(QStringLiteral("referenceError"));
    m_changesError->setObjectName(QStringLiteral("changesError"));
    message()->setObjectName(QStringLiteral("result"));
    for (InlineMessage *m : {m_sourceError, m_referenceError, m_changesError})
        m->setCloseButtonVisible(false);
}

void ImportDialog::layOutFields()
{
    auto *intro = new QLabel(tr("Makes a one-layer image from a filesystem archive, such as one "
                                "written by <i>docker export</i>. Compressed archives are "
                                "recognised."),
                             this);
    intro->setWordWrap(true);
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
    fieldsLayout()->addWidget(intro);
    fieldsLayout()->addLayout(form);
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
                                ? QString()
                                : QFileInfo(m_path->text().trimmed()).absolutePath();
    request.filter = filesystemArchiveFileFilter();
    request.purpose = QStringLiteral("import");
    const QString chosen = askForFile(request);
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

void ImportDialog::updateState()
{
    const bool running = isRunning();
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
}

bool ImportDialog::start()
{
    if (!transfers() || isRunning())
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
    follow(transfers()->importFilesystem(*src, request));
    return true;
}

void ImportDialog::jobSucceeded(TransferJob *job)
{
    const QString image = job->resultImages().value(0);
    message()->showPositive(tr("Imported %1.").arg(image));
    emit imported(image);
}

QString ImportDialog::nothingDone() const
{
    return tr("No image was made.");
}

QString ImportDialog::cancelledText() const
{
    return tr("The import was cancelled; no image was made.");
}

QString ImportDialog::cancelButtonText() const
{
    return tr("Cancel Import");
}

} // namespace Berth
