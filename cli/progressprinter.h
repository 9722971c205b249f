#pragma once

#include "store/imagebackend.h"

#include <QElapsedTimer>
#include <QList>
#include <QTextStream>

namespace Berth::Cli {

// Progress on stderr: on a terminal, one live line per layer redrawn in place (at most ten times a
// second); otherwise one plain line per state change, so logs stay readable.
class ProgressPrinter final
{
    Q_DECLARE_TR_FUNCTIONS(Berth::Cli) // lupdate and run time both use the context "Berth::Cli"
public:
    explicit ProgressPrinter(QTextStream &err);
    void update(const TransferProgress &progress);
    void finish();

private:
    struct Line
    {
        QString item;
        TransferProgress progress;
    };
    QString render(const TransferProgress &p) const;
    void redraw();

    QTextStream &m_err;
    bool m_live;
    QList<Line> m_lines;
    int m_drawn = 0;
    QElapsedTimer m_sinceDraw;
};

} // namespace Berth::Cli
