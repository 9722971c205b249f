#pragma once

#include <QList>

class QWidget;

namespace Berth {

// Why dialogs grew while the user typed: a word-wrapped label's minimum width is its longest word,
// so a message naming a long path ("/very/long/…/file.tar does not exist") or a long image name
// raised the dialog's minimum width and the window widened, key after key; and a message that
// appears and goes moved every widget below it each time.

// Call once, after the dialog's layout is built: its wrapped labels wrap within the width the
// dialog has instead of widening it (a word longer than a line is cut, its tooltip shows all), and
// each widget in `reserved` (a validation message) keeps its room while hidden, so showing it
// moves nothing.
void keepSizeWhileTyping(QWidget *dialog, const QList<QWidget *> &reserved = {});

// Grows the dialog to show all its contents at its current width: never narrower, never wider,
// never shorter (what the job dialogs' fitToContents() does).
void growToFit(QWidget *dialog);

} // namespace Berth
