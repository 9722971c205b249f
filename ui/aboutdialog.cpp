#include "aboutdialog.h"

#include "appicon.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Berth {

namespace {

// What Berth ships: the one bundled work (Breeze's icons, copied unmodified into the program) and
// the libraries its CMake link lines name. zlib, zstd and the other compressors come through
// libarchive, which links them itself.
struct Component
{
    const char *name;
    const char *use;     // translated
    const char *licence; // SPDX identifier
};

constexpr Component Components[] = {
    {"Qt 6",
     QT_TRANSLATE_NOOP("Berth::AboutDialog", "The window, networking, text"),
     "LGPL-3.0-only"},
    {"Breeze icons (KDE)",
     QT_TRANSLATE_NOOP("Berth::AboutDialog", "The icons, bundled unmodified"),
     "LGPL-3.0-or-later"},
    {"QtKeychain",
     QT_TRANSLATE_NOOP("Berth::AboutDialog", "Passwords in the system keychain"),
     "BSD-3-Clause"},
    {"libarchive",
     QT_TRANSLATE_NOOP("Berth::AboutDialog", "Image archives: tar, gzip, zstd"),
     "BSD-2-Clause"},
    {"libcurl", QT_TRANSLATE_NOOP("Berth::AboutDialog", "Transfers of layers"), "curl"},
    {"OpenSSL", QT_TRANSLATE_NOOP("Berth::AboutDialog", "Digests and encryption"), "Apache-2.0"},
    {"Intel ISA-L",
     QT_TRANSLATE_NOOP("Berth::AboutDialog", "Fast gzip decompression"),
     "BSD-3-Clause"},
    {"toml++", QT_TRANSLATE_NOOP("Berth::AboutDialog", "Reading registries.conf"), "MIT"},
};

} // namespace

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Berth"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::HelpRole);
    aboutQt->setObjectName(QStringLiteral("aboutQt"));
    aboutQt->setIcon(QIcon::fromTheme(QStringLiteral("help-about")));
    aboutQt->setToolTip(tr("Qt's version and licence"));
    // HelpRole would emit helpRequested; the box is Qt's own.
    connect(aboutQt, &QPushButton::clicked, this, [this] { QMessageBox::aboutQt(this); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildHeader());
    layout->addWidget(buildComponents(), 1);
    layout->addWidget(buttons);
    resize(640, 420);
}

QWidget *AboutDialog::buildHeader()
{
    auto *header = new QWidget;
    auto *icon = new QLabel;
    icon->setObjectName(QStringLiteral("aboutIcon"));
    icon->setPixmap(appIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);
    auto *text
        = new QLabel(QStringLiteral("<h2>Berth</h2><p>%1</p><p>%2</p><p>%3</p>")
                         .arg(tr("Version %1").arg(QStringLiteral(BERTH_VERSION)),
                              tr("Find, inspect and share container images: Docker Hub and any OCI "
                                 "registry, Docker, Podman or Berth's own image store."),
                              tr("Berth is free software under the MIT licence.")));
    text->setObjectName(QStringLiteral("aboutText"));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(icon);
    layout->addWidget(text, 1);
    return header;
}

QWidget *AboutDialog::buildComponents()
{
    auto *box = new QWidget;
    auto *intro = new QLabel(tr("Berth is built with these free components, each under its own "
                                "licence:"));
    intro->setWordWrap(true);
    auto *list = new QTreeWidget;
    list->setObjectName(QStringLiteral("components"));
    list->setAccessibleName(tr("Components and their licences"));
    list->setRootIsDecorated(false);
    list->setHeaderLabels({tr("Component"), tr("Used for"), tr("Licence")});
    for (const Component &c : Components) {
        auto *item = new QTreeWidgetItem(
            list, {QString::fromUtf8(c.name), tr(c.use), QString::fromLatin1(c.licence)});
        item->setToolTip(1, item->text(1));
    }
    list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    list->header()->setStretchLastSection(false);
    list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    intro->setBuddy(list);
    auto *texts = new QLabel(tr("The icons' licence (LICENSE.breeze-icons) is installed with "
                                "Berth's documentation; each library's licence comes with the "
                                "library."));
    texts->setWordWrap(true);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addWidget(list, 1);
    layout->addWidget(texts);
    return box;
}

} // namespace Berth
