#pragma once

#include "contents/contentsentry.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QTextStream>

namespace Berth::Cli {

// A listing of image entries (ls), streamed: every column before the path has a bounded width,
// so rows go out as they come and a million entries cost no memory. JSON is written the same
// way, one entry a line inside the document's "entries" array.
class EntryListing final
{
    Q_DECLARE_TR_FUNCTIONS(Berth::Cli) // lupdate and run time both use the context "Berth::Cli"
public:
    EntryListing(QTextStream &out, bool json, bool withChange);
    // `header`: the document's other keys (image, path, layer), JSON only.
    void begin(const QJsonObject &header);
    void add(const ContentsEntry &entry);
    void finish();
    qint64 count() const { return m_count; }

    static QJsonObject toJson(const ContentsEntry &entry, bool withChange);

private:
    QString textRow(const ContentsEntry &entry) const;

    QTextStream &m_out;
    bool m_json;
    bool m_withChange;
    qint64 m_count = 0;
};

} // namespace Berth::Cli
