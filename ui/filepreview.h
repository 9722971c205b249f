#pragma once

#include "common/cancel.h"
#include "contents/contentsentry.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace Berth {

class ContentsSource;
struct LoadedContents;

// The Files tab's preview: the first bytes of the selected file as text (at most Limit, read
// through readFile, which streams only the layer that holds the file and stops once it is out),
// or a sentence saying why there is none (a folder, a binary file, a deleted path). Selecting
// another file cancels the read under way; a short pause first, so arrowing through a folder
// reads nothing.
class FilePreview final : public QWidget
{
    Q_OBJECT

public:
    static constexpr qint64 Limit = 256 * 1024;
    static constexpr int SettleMs = 150;

    explicit FilePreview(QWidget *parent = nullptr);
    ~FilePreview() override;

    void setImage(std::shared_ptr<ContentsSource> source,
                  std::shared_ptr<const LoadedContents> contents);
    // Previews `entry` (from the tree shown); a file is read after SettleMs.
    void showEntry(const ContentsEntry &entry);
    void clear();

    QString text() const;   // the text shown, empty when none
    QString status() const; // the sentence above it
    bool isReading() const { return m_reading; }

signals:
    void previewShown(); // text or a sentence, once the read (if any) ended

private:
    void read();
    void showRead(const QByteArray &data, qint64 size, bool ok);
    void setStatus(const QString &status);

    std::shared_ptr<ContentsSource> m_source;
    std::shared_ptr<const LoadedContents> m_contents;
    ContentsEntry m_entry;
    CancelToken m_cancel;
    int m_generation = 0;
    bool m_reading = false;
    QTimer *m_settle;
    QLabel *m_status;
    QPlainTextEdit *m_text;
};

} // namespace Berth
