#include "tagcompareview.h"

#include "common/humanize.h"
#include "erroradvice.h"
#include "filecompareview.h"
#include "inlinemessage.h"
#include "reference/versionorder.h"
#include "statechip.h"
#include "tagcomparer.h"
#include "taggroupsmodel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Berth {

namespace {

enum LayerColumn {
    LayerStateColumn,
    FirstLayerColumn,
    FirstSizeColumn,
    SecondLayerColumn,
    SecondSizeColumn
};
enum ConfigColumn { SettingColumn, FirstValueColumn, SecondValueColumn };
enum SizeColumn {
    PlatformColumn,
    FirstPlatformSizeColumn,
    SecondPlatformSizeColumn,
    DifferenceColumn
};

QString shortDigest(const Digest &digest)
{
    return digest.algorithm() + u':' + digest.shortId();
}

// A row marked the way a diff marks lines: the chip colours of a state, readable light or dark.
void mark(QTreeWidgetItem *item, ChipKind kind, const QPalette &palette)
{
    const StateChip::Colours colours = StateChip::colours(kind, palette);
    for (int column = 0; column < item->columnCount(); ++column) {
        item->setBackground(column, colours.fill);
        item->setForeground(column, colours.text);
    }
}

void setBold(QTreeWidgetItem *item)
{
    QFont font = item->font(0);
    font.setBold(true);
    for (int column = 0; column < item->columnCount(); ++column)
        item->setFont(column, font);
}

// Columns fit their contents; the two sides (`stretched`) share what is left, evenly, so that
// they stand side by side at the same width.
void fitColumns(QTreeWidget *tree, const QList<int> &stretched)
{
    QHeaderView *header = tree->header();
    header->setStretchLastSection(false);
    for (int column = 0; column < tree->columnCount(); ++column)
        header->setSectionResizeMode(column,
                                     stretched.contains(column) ? QHeaderView::Stretch
                                                                : QHeaderView::ResizeToContents);
}

// What a closed Env, ExposedPorts or Labels row says of one side: how many it has.
QString entryCount(const ConfigFieldComparison &field, std::optional<QString> ConfigEntry::*side)
{
    const int count = int(
        std::count_if(field.entries.cbegin(), field.entries.cend(), [side](const ConfigEntry &e) {
            return (e.*side).has_value();
        }));
    if (count == 0)
        return TagCompareView::tr("(none)");
    if (field.field == u"Env")
        return TagCompareView::tr("%n variable(s)", nullptr, count);
    if (field.field == u"ExposedPorts")
        return TagCompareView::tr("%n port(s)", nullptr, count);
    return TagCompareView::tr("%n label(s)", nullptr, count);
}

QTreeWidget *newTree(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *tree = new QTreeWidget(parent);
    tree->setObjectName(objectName);
    tree->setAccessibleName(accessibleName);
    tree->setUniformRowHeights(true);
    tree->setAllColumnsShowFocus(true);
    tree->setTextElideMode(Qt::ElideMiddle);
    return tree;
}

} // namespace

TagCompareView::TagCompareView(TagGroupsModel *tags, RegistryClient *registry, QWidget *parent)
    : QWidget(parent)
    , m_tags(tags)
    , m_comparer(new TagComparer(registry, this))
    , m_settle(new QTimer(this))
    , m_firstLabel(new QLabel(this))
    , m_secondCombo(new QComboBox(this))
    , m_platforms(new QComboBox(this))
    , m_message(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_summary(new QLabel(this))
    , m_sections(new QTabWidget(this))
    , m_layers(newTree(QStringLiteral("compareLayers"), tr("Layers side by side"), this))
    , m_config(newTree(QStringLiteral("compareConfig"), tr("Settings side by side"), this))
    , m_onlyDifferences(new QCheckBox(tr("Only di&fferences"), this))
    , m_sizes(newTree(QStringLiteral("compareSizes"), tr("Size per platform"), this))
    , m_files(new FileCompareView(registry, this))
{
    setObjectName(QStringLiteral("tagCompareView"));
    m_comparer->setObjectName(QStringLiteral("tagComparer"));
    setAccessibleName(tr("Comparison of two tags"));

    m_message->setObjectName(QStringLiteral("compareMessage"));
    m_message->setAccessibleName(tr("Comparison error"));
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setAccessibleName(tr("Comparison summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_layers->setRootIsDecorated(false);
    m_layers->setHeaderLabels({QString(), tr("Layer"), tr("Size"), tr("Layer"), tr("Size")});
    m_config->setHeaderLabels({tr("Setting"), QString(), QString()});
    m_sizes->setRootIsDecorated(false);
    m_sizes->setHeaderLabels({tr("Platform"), QString(), QString(), tr("Difference")});
    fitColumns(m_sizes, {PlatformColumn});
    fitColumns(m_layers, {FirstLayerColumn, SecondLayerColumn});
    fitColumns(m_config, {FirstValueColumn, SecondValueColumn});

    m_sections->setObjectName(QStringLiteral("compareSections"));
    m_sections->setAccessibleName(tr("Comparison sections"));
    m_sections->addTab(m_layers, tr("La&yers"));
    m_sections->addTab(buildConfigTab(), tr("&Settings"));
    m_sections->addTab(m_sizes, tr("Si&ze per platform"));
    m_sections->addTab(m_files, tr("F&iles"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildHeader());
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_sections, 1);

    m_settle->setSingleShot(true);
    m_settle->setInterval(SettleMs);
    connect(m_settle, &QTimer::timeout, this, &TagCompareView::compareNow);
    connect(m_retry, &QAction::triggered, this, &TagCompareView::compareNow);
    connect(m_comparer, &TagComparer::finished, this, &TagCompareView::showComparison);
    connect(m_comparer, &TagComparer::failed, this, &TagCompareView::showFailure);
    connect(m_tags, &QAbstractItemModel::modelReset, this, &TagCompareView::fillTagList);
    // A registry's tags arrive in batches, without a reset at the end.
    connect(m_tags, &TagGroupsModel::loaded, this, &TagCompareView::fillTagList);
    fillTagList();
    clearResult();
}

QWidget *TagCompareView::buildHeader()
{
    QFont bold = m_firstLabel->font();
    bold.setBold(true);
    m_firstLabel->setFont(bold);
    m_firstLabel->setObjectName(QStringLiteral("compareFirstTag"));
    m_firstLabel->setAccessibleName(tr("Tag compared"));
    m_firstLabel->setTextFormat(Qt::PlainText);

    m_secondCombo->setObjectName(QStringLiteral("compareWithCombo"));
    m_secondCombo->setAccessibleName(tr("Tag to compare with"));
    m_secondCombo->setToolTip(tr("Type or pick the tag to compare with"));
    m_secondCombo->setEditable(true);
    m_secondCombo->setInsertPolicy(QComboBox::NoInsert);
    m_secondCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_secondCombo->setMinimumContentsLength(16);
    m_secondCombo->lineEdit()->setPlaceholderText(tr("Choose a tag"));
    m_secondCombo->lineEdit()->setAccessibleName(tr("Tag to compare with"));
    m_secondCombo->completer()->setFilterMode(Qt::MatchContains);
    m_secondCombo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    connect(m_secondCombo, &QComboBox::activated, this, [this](int index) {
        setSecondTag(m_secondCombo->itemText(index));
    });
    connect(m_secondCombo->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        const QString text = m_secondCombo->currentText().trimmed();
        if (m_secondCombo->findText(text, Qt::MatchFixedString | Qt::MatchCaseSensitive) >= 0)
            setSecondTag(text);
    });

    m_platforms->setObjectName(QStringLiteral("comparePlatformCombo"));
    m_platforms->setAccessibleName(tr("Platform compared"));
    m_platforms->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_platforms, &QComboBox::activated, this, &TagCompareView::compareNow);

    auto *withLabel = new QLabel(tr("compared &with"), this);
    withLabel->setBuddy(m_secondCombo);
    auto *platformLabel = new QLabel(tr("Pl&atform:"), this);
    platformLabel->setBuddy(m_platforms);

    auto *header = new QWidget(this);
    auto *row = new QHBoxLayout(header);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_firstLabel);
    row->addWidget(withLabel);
    row->addWidget(m_secondCombo, 1);
    row->addWidget(platformLabel);
    row->addWidget(m_platforms);
    return header;
}

QWidget *TagCompareView::buildConfigTab()
{
    m_onlyDifferences->setObjectName(QStringLiteral("onlyDifferences"));
    m_onlyDifferences->setAccessibleName(tr("Show only the settings that differ"));
    connect(m_onlyDifferences, &QCheckBox::toggled, this, &TagCompareView::applyDifferencesFilter);
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_onlyDifferences);
    layout->addWidget(m_config, 1);
    return tab;
}

void TagCompareView::setFilesServices(std::shared_ptr<LayerIndexCache> cache,
                                      TransferManager *transfers)
{
    m_files->setServices(std::move(cache), transfers);
}

// The Files section follows the pair and the platform; it reads nothing until asked.
void TagCompareView::followInFiles()
{
    const bool pair = m_repository.isValid() && !m_first.isEmpty() && !m_second.isEmpty();
    m_files->setImages(pair ? m_repository.withTag(m_first) : ImageReference(),
                       pair ? m_repository.withTag(m_second) : ImageReference(),
                       currentPlatform());
}

void TagCompareView::setRepository(const ImageReference &repository)
{
    m_repository = repository;
    m_comparer->setRepository(repository);
    m_first.clear();
    m_second.clear();
    m_settle->stop();
    m_compareWhenShown = false;
    m_secondCombo->setCurrentIndex(-1);
    m_secondCombo->clearEditText();
    rebuildPlatforms();
    clearResult();
    followInFiles();
}

void TagCompareView::fillTagList()
{
    QStringList names;
    names.reserve(m_tags->tagCount());
    for (int row = 0; row < m_tags->rowCount(); ++row)
        names.append(m_tags->tagNames(row));
    // Highest version first, as a release list reads.
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return compareTagVersions(a, b) > 0;
    });
    m_secondCombo->clear();
    m_secondCombo->addItems(names);
    m_secondCombo->setCurrentIndex(names.indexOf(m_second));
    if (m_second.isEmpty())
        m_secondCombo->clearEditText();
}

void TagCompareView::followSelection(const QStringList &selected, const QString &current)
{
    if (selected.size() == 2)
        setTags(selected.at(0), selected.at(1));
    else if (!current.isEmpty())
        setTags(current, m_second);
}

void TagCompareView::setSecondTag(const QString &second)
{
    setTags(m_first, second);
}

void TagCompareView::setTags(const QString &first, const QString &second)
{
    if (first == m_first && second == m_second)
        return;
    const bool firstChanged = first != m_first;
    m_first = first;
    m_second = second;
    m_firstLabel->setText(first.isEmpty() ? tr("No tag selected") : first);
    const int at = m_secondCombo->findText(second, Qt::MatchFixedString | Qt::MatchCaseSensitive);
    m_secondCombo->setCurrentIndex(at);
    if (at < 0)
        m_secondCombo->setEditText(second);
    if (firstChanged)
        rebuildPlatforms();
    scheduleCompare();
}

void TagCompareView::setPreferredPlatform(const std::optional<Platform> &platform)
{
    m_preferredPlatform = platform;
}

std::optional<Platform> TagCompareView::currentPlatform() const
{
    const QString text = m_platforms->currentData().toString();
    if (text.isEmpty())
        return std::nullopt;
    const auto platform = Platform::parse(text);
    return platform ? std::optional<Platform>(*platform) : std::nullopt;
}

QList<PlatformImage> TagCompareView::platformImages(const QString &tag) const
{
    const QModelIndex index = m_tags->indexOfTag(tag);
    const auto info = m_tags->tagAt(index);
    if (info && !info->images.isEmpty())
        return info->images;
    const TagGroup *group = m_tags->groupOf(index);
    return group ? group->images : QList<PlatformImage>();
}

void TagCompareView::rebuildPlatforms()
{
    const std::optional<Platform> previous = currentPlatform();
    m_platforms->clear();
    int chosen = -1;
    int host = -1;
    for (const PlatformImage &image : platformImages(m_first)) {
        if (image.platform.isUnknown() || image.platform.os.isEmpty())
            continue;
        m_platforms->addItem(image.platform.toString(), image.platform.toString());
        const int at = m_platforms->count() - 1;
        if (previous && image.platform == *previous)
            chosen = at;
        else if (chosen < 0 && m_preferredPlatform && image.platform == *m_preferredPlatform)
            chosen = at;
        if (host < 0 && image.platform.satisfies(Platform::host()))
            host = at;
    }
    if (m_platforms->count() == 0)
        m_platforms->addItem(tr("Default"), QString());
    m_platforms->setCurrentIndex(chosen >= 0 ? chosen : std::max(host, 0));
    m_platforms->setEnabled(m_platforms->count() > 1);
}

void TagCompareView::scheduleCompare()
{
    m_comparer->cancel(); // the answer for the previous pair is no longer wanted
    clearResult();
    followInFiles();
    if (m_first.isEmpty() || m_second.isEmpty() || m_first == m_second) {
        m_settle->stop();
        return;
    }
    m_summary->setText(tr("Comparing %1 and %2…").arg(m_first, m_second));
    if (isVisible()) {
        m_settle->start();
    } else {
        m_settle->stop();
        m_compareWhenShown = true;
    }
}

void TagCompareView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_compareWhenShown) {
        m_compareWhenShown = false;
        m_settle->start();
    }
}

void TagCompareView::compareNow()
{
    m_settle->stop();
    m_compareWhenShown = false;
    clearResult();
    if (m_first.isEmpty() || m_second.isEmpty() || m_first == m_second)
        return;
    m_summary->setText(tr("Comparing %1 and %2…").arg(m_first, m_second));
    followInFiles(); // the platform may have changed
    m_comparer->compare(m_first, m_second, currentPlatform());
}

bool TagCompareView::isLoading() const
{
    return m_comparer->isRunning() || m_settle->isActive() || m_compareWhenShown;
}

std::optional<ImageComparison> TagCompareView::comparison() const
{
    return m_comparer->comparison();
}

void TagCompareView::clearResult()
{
    m_message->clear();
    m_layers->clear();
    m_config->clear();
    m_sizes->clear();
    if (m_first.isEmpty() || m_second.isEmpty())
        m_summary->setText(tr("Select two tags (Ctrl+click) to compare them side by side, or "
                              "choose above the tag to compare with."));
    else if (m_first == m_second)
        m_summary->setText(tr("Choose a tag other than %1 to compare with.").arg(m_first));
    else
        m_summary->clear();
    fillPlatformSizes();
}

void TagCompareView::showFailure(const Error &error)
{
    m_summary->clear();
    m_message->showError(
        tr("Berth could not compare %1 and %2: %3").arg(m_first, m_second, error.message),
        registryAdvice(error, m_repository.domain()),
        {m_retry});
    emit failed(error);
}

void TagCompareView::showComparison()
{
    const auto comparison = m_comparer->comparison();
    if (!comparison)
        return;
    m_message->clear();
    m_summary->setText(summaryText(*comparison));
    fillLayers(*comparison);
    fillConfig(*comparison);
    fillPlatformSizes();
    emit comparisonShown();
}

QString TagCompareView::summaryText(const ImageComparison &c) const
{
    const QString platform = m_comparer->platform().toString();
    QString text = tr("On %1, %2 and %3 share %n layer(s) (%4).", nullptr, c.sharedLayers)
                       .arg(platform, m_first, m_second, formatSize(c.sharedSize));
    const QString sizes = formatSize(c.secondSize) + u" / " + formatSize(c.firstSize);
    if (c.secondSize > c.firstSize)
        text += u' '
                + tr("%1 is %2 larger (%3).")
                      .arg(m_second, formatSize(c.secondSize - c.firstSize), sizes);
    else if (c.secondSize < c.firstSize)
        text += u' '
                + tr("%1 is %2 smaller (%3).")
                      .arg(m_second, formatSize(c.firstSize - c.secondSize), sizes);
    else
        text += u' ' + tr("Both are %1.").arg(formatSize(c.firstSize));
    const int differing = c.differingFields();
    text += u' '
            + (differing > 0 ? tr("%n setting(s) differ.", nullptr, differing)
                             : tr("Their settings are the same."));
    return text;
}

void TagCompareView::fillLayers(const ImageComparison &comparison)
{
    m_layers->setHeaderLabels({QString(),
                               tr("%1 layer").arg(m_first),
                               tr("Size"),
                               tr("%1 layer").arg(m_second),
                               tr("Size")});
    QList<QTreeWidgetItem *> items;
    for (const LayerPair &pair : comparison.layers) {
        auto *item = new QTreeWidgetItem;
        const auto side = [item](const std::optional<Descriptor> &layer, int digestColumn) {
            if (!layer)
                return;
            item->setText(digestColumn, shortDigest(layer->digest));
            item->setToolTip(digestColumn, layer->digest.toString());
            item->setData(digestColumn, Qt::UserRole, layer->digest.toString());
            item->setText(digestColumn + 1, formatSize(layer->size));
            item->setData(digestColumn + 1, Qt::UserRole, layer->size);
            item->setTextAlignment(digestColumn + 1, Qt::AlignRight | Qt::AlignVCenter);
        };
        side(pair.first, FirstLayerColumn);
        side(pair.second, SecondLayerColumn);
        if (pair.isShared()) {
            item->setText(LayerStateColumn, tr("Shared"));
        } else {
            item->setText(LayerStateColumn, tr("Only in %1").arg(pair.first ? m_first : m_second));
            mark(item, pair.first ? ChipKind::Failed : ChipKind::Running, palette());
        }
        items.append(item);
    }
    m_layers->addTopLevelItems(items);
}

void TagCompareView::fillConfig(const ImageComparison &comparison)
{
    m_config->setHeaderLabels({tr("Setting"), m_first, m_second});
    const QString notSet = tr("(not set)");
    for (const ConfigFieldComparison &field : comparison.config) {
        auto *fieldItem = new QTreeWidgetItem(m_config, {field.field});
        fieldItem->setData(SettingColumn, Qt::UserRole, field.differs());
        QList<QTreeWidgetItem *> rows;
        if (field.isKeyed()) {
            fieldItem->setText(FirstValueColumn, entryCount(field, &ConfigEntry::first));
            fieldItem->setText(SecondValueColumn, entryCount(field, &ConfigEntry::second));
            for (const ConfigEntry &entry : field.entries)
                rows.append(new QTreeWidgetItem(fieldItem, {entry.key}));
        } else {
            rows.append(fieldItem);
        }
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const ConfigEntry &entry = field.entries.at(i);
            QTreeWidgetItem *row = rows.at(i);
            row->setText(FirstValueColumn, entry.first.value_or(notSet));
            row->setText(SecondValueColumn, entry.second.value_or(notSet));
            row->setToolTip(FirstValueColumn, entry.first.value_or(notSet));
            row->setToolTip(SecondValueColumn, entry.second.value_or(notSet));
            row->setData(SettingColumn, Qt::UserRole, entry.differs());
            if (entry.differs())
                mark(row, ChipKind::UpdateAvailable, palette());
        }
        if (field.differs())
            setBold(fieldItem);
        fieldItem->setExpanded(field.differs());
    }
    applyDifferencesFilter();
}

void TagCompareView::applyDifferencesFilter()
{
    const bool only = m_onlyDifferences->isChecked();
    for (int i = 0; i < m_config->topLevelItemCount(); ++i) {
        QTreeWidgetItem *field = m_config->topLevelItem(i);
        field->setHidden(only && !field->data(SettingColumn, Qt::UserRole).toBool());
        for (int j = 0; j < field->childCount(); ++j) {
            QTreeWidgetItem *entry = field->child(j);
            entry->setHidden(only && !entry->data(SettingColumn, Qt::UserRole).toBool());
        }
    }
}

void TagCompareView::fillPlatformSizes()
{
    m_sizes->clear();
    m_sizes->setHeaderLabels({tr("Platform"), m_first, m_second, tr("Difference")});
    if (m_first.isEmpty() || m_second.isEmpty())
        return;
    const QString absent = tr("Not offered");
    for (const PlatformSizes &row :
         comparePlatformSizes(platformImages(m_first), platformImages(m_second))) {
        auto *item = new QTreeWidgetItem(m_sizes, {row.platform.toString()});
        const auto size = [](const std::optional<qint64> &bytes, const QString &none) {
            return !bytes ? none : *bytes > 0 ? formatSize(*bytes) : tr("Unknown");
        };
        item->setText(FirstPlatformSizeColumn, size(row.first, absent));
        item->setText(SecondPlatformSizeColumn, size(row.second, absent));
        if (row.first && row.second && *row.first > 0 && *row.second > 0) {
            const qint64 difference = *row.second - *row.first;
            item->setText(DifferenceColumn,
                          difference == 0  ? tr("Same")
                          : difference > 0 ? tr("+%1").arg(formatSize(difference))
                                           : tr("−%1").arg(formatSize(-difference)));
        }
        for (int column : {FirstPlatformSizeColumn, SecondPlatformSizeColumn, DifferenceColumn})
            item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
        if (!row.first || !row.second)
            mark(item, row.first ? ChipKind::Failed : ChipKind::Running, palette());
    }
}

} // namespace Berth
