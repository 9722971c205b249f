#include "filecompareview.h"

#include "common/humanize.h"
#include "erroradvice.h"
#include "filechangesfilter.h"
#include "imagefilesmodel.h"
#include "inlinemessage.h"
#include "statechip.h"
#include "tagfilescomparer.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Berth {

namespace {

QCheckBox *kindToggle(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *toggle = new QCheckBox(text, parent);
    toggle->setObjectName(objectName);
    toggle->setChecked(true);
    return toggle;
}

} // namespace

FileCompareView::FileCompareView(RegistryClient *registry, QWidget *parent)
    : QWidget(parent)
    , m_comparer(new TagFilesComparer(registry, nullptr, this))
    , m_filter(new FileChangesFilter(this))
    , m_compare(new QPushButton(tr("Compare &Files"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_added(kindToggle(tr("Added"), QStringLiteral("showAddedFiles"), this))
    , m_changed(kindToggle(tr("Changed"), QStringLiteral("showChangedFiles"), this))
    , m_deleted(kindToggle(tr("Deleted"), QStringLiteral("showDeletedFiles"), this))
    , m_message(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_summary(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_tree(new QTreeView(this))
{
    setObjectName(QStringLiteral("fileCompareView"));
    setAccessibleName(tr("Files compared"));
    m_comparer->setObjectName(QStringLiteral("tagFilesComparer"));
    m_filter->setObjectName(QStringLiteral("fileChangesFilter"));
    m_message->setObjectName(QStringLiteral("fileCompareMessage"));
    m_message->setAccessibleName(tr("File comparison error"));
    m_summary->setObjectName(QStringLiteral("fileChangesSummary"));
    m_summary->setAccessibleName(tr("File comparison summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setObjectName(QStringLiteral("fileCompareProgress"));
    m_progress->setAccessibleName(tr("Files read so far"));
    m_progress->setRange(0, 0);
    m_tree->setObjectName(QStringLiteral("fileChangesTree"));
    m_tree->setAccessibleName(tr("Files added, changed and deleted"));
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_tree->setModel(m_filter);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildToolbar());
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_progress);
    layout->addWidget(m_tree, 1);

    connect(m_compare, &QPushButton::clicked, this, &FileCompareView::compareFiles);
    connect(m_retry, &QAction::triggered, this, &FileCompareView::compareFiles);
    connect(m_cancel, &QPushButton::clicked, this, &FileCompareView::cancel);
    for (QCheckBox *toggle : {m_added, m_changed, m_deleted})
        connect(toggle, &QCheckBox::toggled, this, &FileCompareView::applyKinds);
    connect(m_comparer, &TagFilesComparer::progressChanged, this, &FileCompareView::showProgress);
    connect(m_comparer, &TagFilesComparer::finished, this, &FileCompareView::showComparison);
    connect(m_comparer, &TagFilesComparer::failed, this, &FileCompareView::showFailure);
    connect(m_comparer, &TagFilesComparer::runningChanged, this, &FileCompareView::updateState);
    updateState();
}

FileCompareView::~FileCompareView() = default;

QWidget *FileCompareView::buildToolbar()
{
    m_compare->setObjectName(QStringLiteral("compareFilesButton"));
    m_compare->setAccessibleName(tr("Compare the files of the two tags"));
    m_compare->setToolTip(tr("Read the files of both images and show what differs; layers read "
                             "before are not downloaded again"));
    m_compare->setIcon(QIcon::fromTheme(QStringLiteral("kr_comparedirs")));
    m_cancel->setObjectName(QStringLiteral("cancelCompareFilesButton"));
    m_cancel->setAccessibleName(tr("Cancel the file comparison"));
    m_added->setToolTip(tr("Show the files the second tag added"));
    m_changed->setToolTip(tr("Show the files the second tag changed"));
    m_deleted->setToolTip(tr("Show the files the second tag deleted"));

    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_compare);
    row->addWidget(m_cancel);
    row->addStretch(1);
    row->addWidget(new QLabel(tr("Show:"), bar));
    row->addWidget(m_added);
    row->addWidget(m_changed);
    row->addWidget(m_deleted);
    return bar;
}

void FileCompareView::setServices(std::shared_ptr<LayerIndexCache> cache,
                                  TransferManager *transfers)
{
    m_comparer->setCache(std::move(cache));
    m_comparer->setTransferManager(transfers);
}

void FileCompareView::setImages(const ImageReference &first,
                                const ImageReference &second,
                                const std::optional<Platform> &platform)
{
    if (first == m_first && second == m_second && platform == m_platform)
        return;
    m_first = first;
    m_second = second;
    m_platform = platform;
    m_comparer->clear();
    m_filter->setComparison(nullptr);
    m_filter->setSourceModel(nullptr);
    delete std::exchange(m_files, nullptr);
    m_message->clear();
    updateState();
}

bool FileCompareView::isRunning() const
{
    return m_comparer->isRunning();
}

std::shared_ptr<const FilesComparison> FileCompareView::comparison() const
{
    return m_comparer->comparison();
}

void FileCompareView::compareFiles()
{
    if (!m_first.isValid() || !m_second.isValid() || m_first == m_second)
        return;
    m_message->clear();
    m_comparer->compare(m_first, m_second, m_platform);
    updateState();
}

void FileCompareView::cancel()
{
    m_comparer->cancel();
    updateState();
}

void FileCompareView::updateState()
{
    const bool ready = m_first.isValid() && m_second.isValid() && m_first != m_second;
    const bool running = m_comparer->isRunning();
    const auto comparison = m_comparer->comparison();
    m_compare->setEnabled(ready && !running);
    m_compare->setVisible(!comparison);
    m_cancel->setVisible(running);
    m_progress->setVisible(running);
    for (QCheckBox *toggle : {m_added, m_changed, m_deleted})
        toggle->setEnabled(comparison != nullptr);
    m_tree->setVisible(comparison != nullptr);
    if (comparison)
        m_summary->setText(TagFilesComparer::summaryText(*comparison));
    else if (running)
        m_summary->setText(tr("Reading the files of %1 and %2…")
                               .arg(m_first.familiarString(), m_second.familiarString()));
    else if (ready)
        m_summary->setText(tr("Compare Files reads the layers of %1 and %2 and lists the files "
                              "that differ. Layers read before are not downloaded again.")
                               .arg(m_first.familiarString(), m_second.familiarString()));
    else
        m_summary->setText(tr("Choose two different tags to compare their files."));
}

void FileCompareView::showProgress(qint64 done, qint64 total)
{
    if (total <= 0) {
        m_progress->setRange(0, 0); // describing the images, or every layer cached
        return;
    }
    m_progress->setRange(0, 1000);
    m_progress->setValue(int(1000 * std::clamp(double(done) / double(total), 0.0, 1.0)));
    m_progress->setFormat(tr("%1 of %2").arg(formatSize(done), formatSize(total)));
}

void FileCompareView::showComparison()
{
    const auto comparison = m_comparer->comparison();
    if (!comparison)
        return;
    m_filter->setSourceModel(nullptr);
    delete std::exchange(m_files, nullptr);
    m_files = new ImageFilesModel(this);
    m_files->setObjectName(QStringLiteral("fileChangesModel"));
    m_files->setTree(comparison->diff.tree);
    applyChangeColours();
    m_filter->setComparison(comparison);
    m_filter->setSourceModel(m_files);
    fitColumns();
    applyKinds();
    updateState();
    emit filesShown();
}

// The chips' text colours, as the Files tab marks a layer's changes: readable light and dark.
void FileCompareView::applyChangeColours()
{
    if (!m_files)
        return;
    using Change = ContentsEntry::Change;
    const QPalette p = palette();
    m_files->setChangeColours({
        {int(Change::Added), StateChip::colours(ChipKind::Running, p).text},
        {int(Change::Changed), StateChip::colours(ChipKind::UpdateAvailable, p).text},
        {int(Change::Deleted), StateChip::colours(ChipKind::Failed, p).text},
    });
}

void FileCompareView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyChangeColours();
}

// The names take what the other columns leave.
void FileCompareView::fitColumns()
{
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(false);
    for (int column = 0; column < m_filter->columnCount(); ++column)
        header->setSectionResizeMode(column,
                                     column == ImageFilesModel::NameColumn
                                         ? QHeaderView::Stretch
                                         : QHeaderView::ResizeToContents);
}

void FileCompareView::showFailure(const Error &error)
{
    updateState();
    m_message->showError(
        tr("Berth could not compare the files of %1 and %2: %3")
            .arg(m_first.familiarString(), m_second.familiarString(), error.message),
        registryAdvice(error, m_first.domain()),
        {m_retry});
    emit failed(error);
}

void FileCompareView::applyKinds()
{
    quint8 kinds = 0;
    if (m_added->isChecked())
        kinds |= AddedKind;
    if (m_changed->isChecked())
        kinds |= ChangedKind;
    if (m_deleted->isChecked())
        kinds |= DeletedKind;
    m_filter->setKinds(kinds);
}

} // namespace Berth
