#pragma once

#include <QDialog>
#include <QLocale>
#include <QUrl>

class QPushButton;

namespace Berth {

class GuideBrowser;

// The user guide (docs/USER-GUIDE.md, embedded as :/help/) in a window of its own, beside the
// main window rather than in front of it, so the guide stays open while the user follows it. The
// contents' links scroll to their section, Back returns, web links open in the desktop's browser.
class UserGuideWindow final : public QDialog
{
    Q_OBJECT

public:
    explicit UserGuideWindow(QWidget *parent = nullptr);

    // Shows the guide from its start (or the section `anchor` names, "logins").
    void showSection(const QString &anchor = {});

private:
    GuideBrowser *m_browser;
    QPushButton *m_back;
};

// The guide in the language of Berth's own strings for `locale`: the first of its UI languages
// the guide is written in, as installTranslations() chooses the translation, English otherwise.
QUrl userGuideUrl(const QLocale &locale = QLocale());

// The anchor GitHub gives a Markdown heading, so the guide's links work on GitHub and in Berth:
// lower case, punctuation dropped, spaces as hyphens ("Pull and push" → "pull-and-push").
QString headingAnchor(const QString &heading);

} // namespace Berth
