#include "progressprinter.h"

#include "clicontext.h"
#include "common/humanize.h"
#include "terminaltext.h"

#include <unistd.h>

namespace Berth::Cli {

namespace {

QString stateWord(TransferProgress::State state)
{
    switch (state) {
    case TransferProgress::State::Waiting:
        return tr("Waiting");
    case TransferProgress::State::Transferring:
        return tr("Transferring");
    case TransferProgress::State::Verifying:
        return tr("Verifying");
    case TransferProgress::State::Done:
        return tr("Done");
    case TransferProgress::State::Skipped:
        return tr("Already exists");
    case TransferProgress::State::Mounted:
        return tr("Mounted");
    case TransferProgress::State::Failed:
        return tr("Failed");
    }
    return QString();
}

} // namespace

ProgressPrinter::ProgressPrinter(QTextStream &err)
    : m_err(err)
    , m_live(isatty(STDERR_FILENO) == 1)
{
    m_sinceDraw.start();
}

QString ProgressPrinter::render(const TransferProgress &p) const
{
    // Items and messages can come from an engine's progress stream.
    const QString item
        = p.item.isEmpty() ? tr("total") : terminalSafe(p.item.section(u':', -1).left(12));
    QString line = item + QStringLiteral(": ")
                   + (p.message.isEmpty() ? stateWord(p.state) : terminalSafe(p.message));
    if (p.state == TransferProgress::State::Transferring && p.current > 0) {
        const QLocale c = QLocale::c();
        if (p.total > 0) {
            const int width = 30;
            const int filled = int(width * std::min<qint64>(p.current, p.total) / p.total);
            line += QStringLiteral(" [") + QString(filled, u'=') + QString(width - filled, u' ')
                    + QStringLiteral("] ") + formatSize(p.current, c) + u'/'
                    + formatSize(p.total, c);
        } else {
            line += u' ' + formatSize(p.current, c);
        }
    }
    return line;
}

void ProgressPrinter::update(const TransferProgress &progress)
{
    auto it = std::find_if(
        m_lines.begin(), m_lines.end(), [&](const Line &l) { return l.item == progress.item; });
    const bool changedState = it == m_lines.end() || it->progress.state != progress.state
                              || it->progress.message != progress.message;
    if (it == m_lines.end())
        m_lines.append({progress.item, progress});
    else
        it->progress = progress;
    if (!m_live) {
        if (changedState) {
            m_err << render(progress) << '\n';
            m_err.flush();
        }
        return;
    }
    if (changedState || m_sinceDraw.elapsed() >= 100)
        redraw();
}

void ProgressPrinter::redraw()
{
    if (m_drawn > 0)
        m_err << "\x1b[" << m_drawn << 'A';
    for (const Line &l : std::as_const(m_lines))
        m_err << "\x1b[2K" << render(l.progress) << '\n';
    m_drawn = int(m_lines.size());
    m_err.flush();
    m_sinceDraw.restart();
}

void ProgressPrinter::finish()
{
    if (m_live && !m_lines.isEmpty())
        redraw();
}

} // namespace Berth::Cli
