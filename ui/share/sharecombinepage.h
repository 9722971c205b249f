#pragma once

#include "sharewizard.h"

#include "common/cancel.h"
#include "registryops/manifestlist.h"

#include <QWizardPage>

class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace Berth {

class InlineMessage;

// "Combine them into one multi-platform image": the sources (the images checked on the first
// page, by the registry names they were pushed under, and any registry reference added here),
// each with the platforms read from its image's config, and the tag to push the index to.
// Complete once every source is read, no two share a platform and the target is a tag.
class ShareCombinePage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareCombinePage(ShareWizard *wizard);

    // Adds a registry reference as a source and starts reading it; false when it does not parse
    // (said on the page).
    bool addSource(const QString &reference);
    QStringList sources() const;
    // True while a source is still being read.
    bool isReading() const { return m_reading > 0; }
    // The list to push; only meaningful when the page is complete.
    ManifestList manifestList() const;

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

private:
    void read(QTreeWidgetItem *item, const ImageReference &reference);
    void removeSelected();
    void check();

    ShareWizard *m_wizard;
    QTreeWidget *m_sources;
    QLineEdit *m_reference;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLineEdit *m_target;
    InlineMessage *m_message;
    CancelToken m_cancel;
    int m_reading = 0;
    std::optional<ManifestList> m_list; // when complete
    QHash<QTreeWidgetItem *, QList<ManifestListEntry>> m_entries;
};

} // namespace Berth
