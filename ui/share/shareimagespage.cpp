#include "share/shareimagespage.h"

#include "inlinemessage.h"
#include "share/sharewording.h"
#include "transfermanager.h"

#include "common/guarded.h"
#include "store/imagebackend.h"

#include <QButtonGroup>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Berth {

namespace {

enum ImageRole { NameRole = Qt::UserRole + 1, IdRole };

} // namespace

ShareImagesPage::ShareImagesPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_list(new QListWidget(this))
    , m_push(new QRadioButton(tr("&Push them to a registry"), this))
    , m_save(new QRadioButton(tr("&Save them to an archive file"), this))
    , m_combine(new QRadioButton(tr("&Combine these images into one multi-platform image"), this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("imagesPage"));
    setTitle(tr("Images to Share"));
    setSubTitle(tr("Choose the images, then how to share them."));

    m_list->setObjectName(QStringLiteral("images"));
    m_list->setAccessibleName(tr("Local images"));
    m_list->setUniformItemSizes(true);
    m_push->setObjectName(QStringLiteral("push"));
    m_push->setAccessibleName(tr("Push to a registry"));
    m_push->setToolTip(tr("Upload to Docker Hub or another registry, where others can pull them."));
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setAccessibleName(tr("Save to an archive file"));
    m_save->setToolTip(tr("One .tar file holding the images, which docker load, podman load and "
                          "Berth read."));
    m_combine->setObjectName(QStringLiteral("combine"));
    m_combine->setAccessibleName(tr("Combine into one multi-platform image"));
    m_combine->setToolTip(tr("Images already pushed for different platforms (or any registry "
                             "references you add next) listed under one tag, which pulls the "
                             "right one on each machine."));
    auto *group = new QButtonGroup(this);
    group->addButton(m_push);
    group->addButton(m_save);
    group->addButton(m_combine);
    // The combine page may add registry references to none checked here.
    connect(group, &QButtonGroup::buttonToggled, this, &QWizardPage::completeChanged);
    m_push->setChecked(true);
    m_message->setObjectName(QStringLiteral("message"));

    auto *listLabel = new QLabel(tr("&Images:"), this);
    listLabel->setBuddy(m_list);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(listLabel);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_push);
    layout->addWidget(m_save);
    layout->addWidget(m_combine);

    connect(m_list, &QListWidget::itemChanged, this, &QWizardPage::completeChanged);
    if (TransferManager *transfers = wizard->services().transfers)
        connect(transfers, &TransferManager::backendChanged, this, &ShareImagesPage::reload);
    reload();
}

ShareWizard::Mode ShareImagesPage::mode() const
{
    if (m_combine->isChecked())
        return ShareWizard::Mode::Combine;
    return m_save->isChecked() ? ShareWizard::Mode::Save : ShareWizard::Mode::Push;
}

void ShareImagesPage::setMode(ShareWizard::Mode mode)
{
    (mode == ShareWizard::Mode::Save      ? m_save
     : mode == ShareWizard::Mode::Combine ? m_combine
                                          : m_push)
        ->setChecked(true);
}

QStringList ShareImagesPage::selectedImages() const
{
    QStringList images;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        if (item->checkState() == Qt::Checked)
            images.append(item->data(NameRole).toString());
    }
    return images;
}

bool ShareImagesPage::setChecked(const QString &image, bool checked)
{
    bool found = false;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const QString id = item->data(IdRole).toString();
        const bool matches
            = item->data(NameRole).toString() == image || id == image
              || (image.size() >= 12 && id.mid(7).startsWith(image))
              || (image.startsWith(u"sha256:") && image.size() >= 19 && id.startsWith(image));
        if (matches) {
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            found = true;
        }
    }
    return found;
}

bool ShareImagesPage::isComplete() const
{
    return m_loaded && (mode() == ShareWizard::Mode::Combine || !selectedImages().isEmpty());
}

void ShareImagesPage::reload()
{
    const QStringList wanted = m_loaded ? selectedImages() : m_wizard->initialImages();
    const int generation = ++m_generation;
    m_loaded = false;
    m_list->clear();
    m_message->clear();
    emit completeChanged();
    TransferManager *transfers = m_wizard->services().transfers;
    ImageBackend *backend = transfers ? transfers->backend() : nullptr;
    if (!backend) {
        m_message->showError(tr("No image store is open: choose Docker, Podman or the embedded "
                                "store in Settings."));
        return;
    }
    m_message->showInformation(tr("Listing the images…"));
    backend->listImages(guarded(this, [this, generation, wanted](Result<QList<LocalImage>> r) {
        if (m_generation != generation)
            return;
        m_message->clear();
        if (!r) {
            m_message->showError(r.error().message);
            return;
        }
        QList<LocalImage> images = *r;
        std::sort(images.begin(), images.end(), [](const LocalImage &a, const LocalImage &b) {
            return a.repoTags.value(0) < b.repoTags.value(0);
        });
        const QSignalBlocker blocker(m_list);
        for (const LocalImage &image : std::as_const(images)) {
            const QString id = image.id.toString();
            QStringList names = image.repoTags;
            const bool untagged = names.isEmpty();
            if (untagged)
                names.append(id);
            for (const QString &name : std::as_const(names)) {
                auto *item = new QListWidgetItem(
                    untagged ? tr("<untagged> %1").arg(image.id.shortId()) : name, m_list);
                item->setData(NameRole, name);
                item->setData(IdRole, id);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(Qt::Unchecked);
                item->setToolTip(id);
            }
        }
        for (const QString &name : wanted)
            setChecked(name, true);
        m_loaded = true;
        if (m_list->count() == 0)
            m_message->showInformation(
                tr("There is no image to share yet: pull or load one first."));
        emit completeChanged();
    }));
}

} // namespace Berth
