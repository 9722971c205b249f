#include "share/sharecombinepage.h"

#include "inlinemessage.h"
#include "share/sharewording.h"

#include "common/guarded.h"
#include "registry/registryclient.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>

namespace Berth {

namespace {

// Named for this page: unity builds put several files' anonymous namespaces together.
enum CombineColumn { CombineSourceColumn, CombinePlatformColumn };
enum CombineRole { CombineIdRole = Qt::UserRole + 1, CombineFailedRole };

} // namespace

ShareCombinePage::ShareCombinePage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_sources(new QTreeWidget(this))
    , m_reference(new QLineEdit(this))
    , m_add(new QPushButton(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Add"), this))
    , m_remove(
          new QPushButton(QIcon::fromTheme(QStringLiteral("list-remove")), tr("&Remove"), this))
    , m_target(new QLineEdit(this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("combinePage"));
    setTitle(tr("One Multi-Platform Image"));
    setSubTitle(tr("Each image below is already in a registry; the platform of each comes from "
                   "its configuration. They are listed together under one tag."));
    m_sources->setObjectName(QStringLiteral("sources"));
    m_sources->setAccessibleName(tr("Images to combine"));
    m_sources->setRootIsDecorated(false);
    m_sources->setHeaderLabels({tr("Image"), tr("Platform")});
    m_sources->header()->setSectionResizeMode(CombineSourceColumn, QHeaderView::Stretch);
    m_reference->setObjectName(QStringLiteral("reference"));
    m_reference->setAccessibleName(tr("Image reference to add"));
    m_reference->setPlaceholderText(tr("e.g. registry.example.com/app:arm64"));
    m_add->setObjectName(QStringLiteral("add"));
    m_remove->setObjectName(QStringLiteral("remove"));
    m_target->setObjectName(QStringLiteral("target"));
    m_target->setAccessibleName(tr("Multi-platform image name"));
    m_target->setPlaceholderText(tr("e.g. registry.example.com/app:1.0"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setCloseButtonVisible(false);

    auto *layout = new QGridLayout(this);
    layout->addWidget(
        wrappedLabel(tr("Images, one per platform (an index adds all of its):"), this), 0, 0, 1, 3);
    layout->addWidget(m_sources, 1, 0, 1, 3);
    layout->addWidget(m_reference, 2, 0);
    layout->addWidget(m_add, 2, 1);
    layout->addWidget(m_remove, 2, 2);
    auto *targetLabel = new QLabel(tr("&Push the combined image as:"), this);
    targetLabel->setBuddy(m_target);
    layout->addWidget(targetLabel, 3, 0, 1, 3);
    layout->addWidget(m_target, 4, 0, 1, 3);
    layout->addWidget(m_message, 5, 0, 1, 3);
    layout->setColumnStretch(0, 1);
    layout->setRowStretch(1, 1);

    const auto addTyped = [this] {
        if (addSource(m_reference->text().trimmed()))
            m_reference->clear();
    };
    connect(m_add, &QPushButton::clicked, this, addTyped);
    connect(m_reference, &QLineEdit::returnPressed, this, addTyped);
    connect(m_remove, &QPushButton::clicked, this, &ShareCombinePage::removeSelected);
    connect(m_target, &QLineEdit::textChanged, this, &ShareCombinePage::check);
}

void ShareCombinePage::initializePage()
{
    m_cancel.cancel();
    m_cancel = CancelToken();
    m_reading = 0;
    m_entries.clear();
    m_sources->clear();
    m_message->clear();
    // Local images are combined by the registry names they were pushed under; an image ID
    // names nothing in a registry.
    for (const QString &image : m_wizard->selectedImages())
        if (!image.startsWith(u"sha256:"))
            addSource(image);
    check();
}

void ShareCombinePage::cleanupPage()
{
    m_cancel.cancel();
    m_reading = 0;
}

bool ShareCombinePage::addSource(const QString &text)
{
    const auto reference = ImageReference::parse(text);
    if (!reference) {
        m_message->showError(reference.error().message);
        return false;
    }
    static int nextId = 0;
    auto *item = new QTreeWidgetItem(m_sources, {reference->toString(), tr("Reading…")});
    item->setData(CombineSourceColumn, CombineIdRole, ++nextId);
    read(item, *reference);
    check();
    return true;
}

void ShareCombinePage::read(QTreeWidgetItem *item, const ImageReference &reference)
{
    ++m_reading;
    const int id = item->data(CombineSourceColumn, CombineIdRole).toInt();
    const CancelToken cancel = m_cancel;
    const auto answered = [this, id, cancel](Result<QList<ManifestListEntry>> entries) {
        if (cancel.isCancelled())
            return; // the page started over; m_reading was reset
        --m_reading;
        QTreeWidgetItem *row = nullptr;
        for (int i = 0; i < m_sources->topLevelItemCount() && !row; ++i)
            if (m_sources->topLevelItem(i)->data(CombineSourceColumn, CombineIdRole).toInt() == id)
                row = m_sources->topLevelItem(i);
        if (!row)
            return check(); // removed while it was read
        if (!entries) {
            row->setText(CombinePlatformColumn, tr("Cannot be read"));
            row->setToolTip(CombinePlatformColumn, entries.error().message);
            row->setData(CombineSourceColumn, CombineFailedRole, entries.error().message);
            return check();
        }
        QStringList platforms;
        for (const ManifestListEntry &entry : *entries)
            platforms.append(entry.descriptor.platform->toString());
        row->setText(CombinePlatformColumn, platforms.join(QStringLiteral(", ")));
        m_entries.insert(row, *entries);
        check();
    };
    resolveManifestListSources(
        *m_wizard->services().client, {reference}, cancel, guarded(this, answered));
}

void ShareCombinePage::removeSelected()
{
    for (QTreeWidgetItem *item : m_sources->selectedItems()) {
        m_entries.remove(item);
        delete item;
    }
    check();
}

QStringList ShareCombinePage::sources() const
{
    QStringList texts;
    for (int i = 0; i < m_sources->topLevelItemCount(); ++i)
        texts.append(m_sources->topLevelItem(i)->text(CombineSourceColumn));
    return texts;
}

ManifestList ShareCombinePage::manifestList() const
{
    return m_list.value_or(ManifestList());
}

bool ShareCombinePage::isComplete() const
{
    return m_list.has_value();
}

void ShareCombinePage::check()
{
    m_list.reset();
    emit completeChanged();
    if (m_reading > 0)
        return m_message->showInformation(tr("Reading the platforms of the images…"));
    ManifestList list;
    for (int i = 0; i < m_sources->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_sources->topLevelItem(i);
        const QString failed = item->data(CombineSourceColumn, CombineFailedRole).toString();
        if (!failed.isEmpty())
            return m_message->showError(
                tr("%1 cannot be read: %2").arg(item->text(CombineSourceColumn), failed));
        if (Status added = list.add(m_entries.value(item)); !added)
            return m_message->showError(added.error().message);
    }
    if (list.entries.isEmpty())
        return m_message->showInformation(tr("Add the images to combine, one per platform."));
    const auto target = manifestListTarget(m_target->text().trimmed());
    if (m_target->text().trimmed().isEmpty() || !target)
        return m_message->showInformation(
            target || m_target->text().trimmed().isEmpty()
                ? tr("Enter the name to push the combined image as, with its tag.")
                : target.error().message);
    list.target = *target;
    m_message->showPositive(tr("%n platform(s) in one image.", nullptr, int(list.entries.size())));
    m_list = std::move(list);
    emit completeChanged();
}

} // namespace Berth
