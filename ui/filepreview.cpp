#include "filepreview.h"

#include "common/guarded.h"
#include "common/humanize.h"
#include "erroradvice.h"
#include "contents/treediff.h" // until imagecontents.h includes it itself
#include "imagefiles/contentsreading.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <mutex>

namespace Berth {

namespace {

// What the read gathers on a worker thread, handed back whole once it ends.
struct Gathered
{
    std::mutex mutex;
    QByteArray data;
};

// Text, as far as a preview can tell: no NUL byte in what was read.
bool looksLikeText(const QByteArray &data)
{
    return !data.contains('\0');
}

} // namespace

FilePreview::FilePreview(QWidget *parent)
    : QWidget(parent)
    , m_settle(new QTimer(this))
    , m_status(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("filePreview"));
    m_status->setObjectName(QStringLiteral("previewStatus"));
    m_status->setAccessibleName(tr("About the preview"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_text->setObjectName(QStringLiteral("previewText"));
    m_text->setAccessibleName(tr("File preview"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("Select a file to see its first lines."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_text, 1);

    m_settle->setSingleShot(true);
    m_settle->setInterval(SettleMs);
    connect(m_settle, &QTimer::timeout, this, &FilePreview::read);
    clear();
}

FilePreview::~FilePreview()
{
    m_cancel.cancel();
}

void FilePreview::setImage(std::shared_ptr<ContentsSource> source,
                           std::shared_ptr<const LoadedContents> contents)
{
    m_source = std::move(source);
    m_contents = std::move(contents);
    clear();
}

void FilePreview::clear()
{
    m_cancel.cancel();
    ++m_generation;
    m_settle->stop();
    m_reading = false;
    m_entry = {};
    m_text->clear();
    setStatus({});
}

QString FilePreview::text() const
{
    return m_text->toPlainText();
}

QString FilePreview::status() const
{
    return m_status->text();
}

void FilePreview::setStatus(const QString &status)
{
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());
}

void FilePreview::showEntry(const ContentsEntry &entry)
{
    clear();
    m_entry = entry;
    const QString name = displayPath(baseName(entry.path));
    using Type = ContentsEntry::Type;
    if (entry.change == ContentsEntry::Change::Deleted) {
        setStatus(tr("%1 is deleted in this layer: there is nothing to show.").arg(name));
    } else if (entry.type == Type::Directory) {
        setStatus(tr("%1 is a folder: use Save As… to copy it out.").arg(name));
    } else if (entry.type != Type::File && entry.type != Type::Symlink
               && entry.type != Type::HardLink) {
        setStatus(tr("%1 is a %2: it has no content to show.").arg(name, entry.typeName()));
    } else if (entry.type == Type::File && entry.size == 0) {
        setStatus(tr("%1 is empty.").arg(name));
    } else {
        setStatus(tr("Reading %1…").arg(name));
        m_reading = true;
        m_settle->start();
        return;
    }
    emit previewShown();
}

void FilePreview::read()
{
    if (!m_source || !m_contents)
        return;
    m_cancel = CancelToken();
    const int generation = m_generation;
    auto gathered = std::make_shared<Gathered>();
    auto target = std::shared_ptr<ExtractTarget>(streamTarget(
        [gathered](QByteArrayView data) -> Status {
            std::lock_guard lock(gathered->mutex);
            gathered->data.append(data);
            return {};
        },
        Limit));
    ReadOptions options;
    options.cancel = m_cancel;
    const qint64 size = m_entry.size;
    readFile(m_source,
             m_contents,
             m_entry.path,
             target,
             options,
             guarded(this, [this, generation, gathered, size](Status status) {
                 if (generation != m_generation)
                     return;
                 QByteArray data;
                 {
                     std::lock_guard lock(gathered->mutex);
                     data = std::move(gathered->data);
                 }
                 // Stopping at the limit may end the read early: what came is what was wanted.
                 showRead(data, size, status || data.size() >= Limit);
             }));
}

void FilePreview::showRead(const QByteArray &data, qint64 size, bool ok)
{
    m_reading = false;
    const QString name = displayPath(baseName(m_entry.path));
    if (!ok) {
        setStatus(tr("%1 could not be read. Look inside the image again, or save the file to "
                     "read it.")
                      .arg(name));
    } else if (!looksLikeText(data)) {
        setStatus(tr("%1 is a binary file (%2): use Save As… to open it with another program.")
                      .arg(name, formatSize(std::max<qint64>(size, data.size()))));
    } else {
        m_text->setPlainText(QString::fromUtf8(data));
        setStatus(data.size() >= Limit && size > Limit
                      ? tr("The first %1 of %2.").arg(formatSize(Limit), formatSize(size))
                      : QString());
    }
    emit previewShown();
}

} // namespace Berth
