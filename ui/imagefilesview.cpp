#include "imagefilesview.h"

#include "filepreview.h"
#include "imagefilesmodel.h"
#include "inlinemessage.h"
#include "jobadvice.h"
#include "statechip.h"
#include "transferjob.h"
#include "transfermanager.h"

#include "common/background.h"
#include "common/guarded.h"
#include "common/humanize.h"
#include "imagefiles/imagecontents.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <climits>

namespace Berth {

namespace {

constexpr int LargestCount = 10;
constexpr int FilterSettleMs = 200; // typing a name filters once, not once a letter
constexpr int ExpandAllLimit = 500; // filtered rows shown open when there are this few

using Change = ContentsEntry::Change;

// "RUN apt-get install -y curl …": a layer's step, short enough for a combo box.
QString shortStep(const QString &createdBy)
{
    QString step = createdBy.simplified();
    step.remove(QStringLiteral("/bin/sh -c #(nop) "));
    step.remove(QStringLiteral("/bin/sh -c "));
    return step.size() > 60 ? step.left(59) + u'…' : step;
}

QString layerTip(const LayerStats &stats)
{
    return ImageFilesView::tr("Added %1, changed %2, deleted %3 · %4 made useless by later layers")
        .arg(QLocale().toString(stats.added),
             QLocale().toString(stats.changed),
             QLocale().toString(stats.deleted),
             formatSize(stats.wastedBytes));
}

QString suggestedName(QByteArrayView path, const QString &fallback)
{
    const QString name = displayPath(baseName(path));
    // An escaped name is a fine file name once its backslashes and slashes are gone.
    QString safe = name.isEmpty() ? fallback : name;
    safe.replace(u'\\', u'_').replace(u'/', u'_');
    return safe == u".." || safe == u"." ? fallback : safe;
}

} // namespace

ImageFilesView::ImageFilesView(TransferManager *transfers, QWidget *parent)
    : QWidget(parent)
    , m_transfers(transfers)
    , m_pages(new QStackedWidget(this))
    , m_emptyText(new QLabel(this))
    , m_lookInside(new QPushButton(tr("Look &Inside"), this))
    , m_notice(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_loadingText(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("&Stop"), this))
    , m_layers(new QComboBox(this))
    , m_changesOnly(new QCheckBox(tr("Only this lay&er's changes"), this))
    , m_filter(new QLineEdit(this))
    , m_filterSettle(new QTimer(this))
    , m_summary(new QLabel(this))
    , m_filterStatus(new QLabel(this))
    , m_tree(new QTreeView(this))
    , m_model(new ImageFilesModel(this))
    , m_largest(new QListWidget(this))
    , m_preview(new FilePreview(this))
    , m_saveAs(new QAction(this))
    , m_saveArchive(new QAction(this))
    , m_focusFilter(new QAction(this))
{
    setObjectName(QStringLiteral("imageFilesView"));
    setAccessibleName(tr("Files of the image"));
    setUpWidgets();
    setUpActions();
    m_pages->addWidget(buildEmptyPage());
    m_pages->addWidget(buildLoadingPage());
    m_pages->addWidget(buildFilesPage());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_notice);
    layout->addWidget(m_pages, 1);
    clear();
}

ImageFilesView::~ImageFilesView()
{
    m_layerCancel.cancel();
    // Nobody is left to show what a look under way finds (Inspect closed); a save goes on.
    if (m_job && m_job->isActive())
        m_job->cancel();
}

void ImageFilesView::setUpWidgets()
{
    m_emptyText->setObjectName(QStringLiteral("filesEmptyText"));
    m_emptyText->setWordWrap(true);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setTextFormat(Qt::PlainText);
    m_lookInside->setObjectName(QStringLiteral("lookInsideButton"));
    m_lookInside->setIcon(QIcon::fromTheme(QStringLiteral("document-preview")));
    m_lookInside->setAccessibleName(tr("Look inside the image"));
    m_notice->setObjectName(QStringLiteral("filesNotice"));
    m_notice->setAccessibleName(tr("Files problem"));
    m_loadingText->setObjectName(QStringLiteral("filesLoadingText"));
    m_loadingText->setWordWrap(true);
    m_loadingText->setAlignment(Qt::AlignCenter);
    m_progress->setObjectName(QStringLiteral("filesProgress"));
    m_progress->setAccessibleName(tr("Progress of looking inside"));
    m_cancel->setObjectName(QStringLiteral("filesCancelButton"));
    m_cancel->setIcon(QIcon::fromTheme(QStringLiteral("process-stop")));
    m_cancel->setAccessibleName(tr("Stop looking inside"));

    m_layers->setObjectName(QStringLiteral("layerCombo"));
    m_layers->setAccessibleName(tr("Layer shown"));
    m_layers->setToolTip(tr("Show the whole image, or what one layer added, changed and deleted"));
    m_layers->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_layers->setMinimumContentsLength(24);
    m_changesOnly->setObjectName(QStringLiteral("changesOnlyCheck"));
    m_changesOnly->setAccessibleName(tr("Only this layer's changes"));
    m_filter->setObjectName(QStringLiteral("filesFilter"));
    m_filter->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter files by name"));
    m_filter->setClearButtonEnabled(true);
    m_filterSettle->setSingleShot(true);
    m_filterSettle->setInterval(FilterSettleMs);
    m_summary->setObjectName(QStringLiteral("filesSummary"));
    m_summary->setAccessibleName(tr("Wasted space"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_filterStatus->setObjectName(QStringLiteral("filterStatus"));
    m_filterStatus->setTextFormat(Qt::PlainText);

    m_tree->setObjectName(QStringLiteral("filesTree"));
    m_tree->setAccessibleName(tr("Files"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true); // keeps 100,000 rows cheap to lay out and scroll
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ImageFilesModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->resizeSection(ImageFilesModel::SizeColumn, 90);
    m_tree->header()->resizeSection(ImageFilesModel::ModeColumn, 100);
    m_tree->header()->resizeSection(ImageFilesModel::OwnerColumn, 80);
    m_tree->header()->resizeSection(ImageFilesModel::LayerColumn, 50);
    m_model->setObjectName(QStringLiteral("filesModel"));
    m_largest->setObjectName(QStringLiteral("largestFiles"));
    m_largest->setAccessibleName(tr("Largest files"));
    m_largest->setToolTip(tr("Activate a file to select it in the tree"));
    applyChangeColours();
}

void ImageFilesView::setUpActions()
{
    m_saveAs->setObjectName(QStringLiteral("saveAsAction"));
    m_saveAs->setText(tr("&Save As…"));
    m_saveAs->setToolTip(tr("Save the selected file, or the selected folder into a folder"));
    m_saveAs->setIcon(QIcon::fromTheme(QStringLiteral("document-save-as")));
    m_saveAs->setShortcut(QKeySequence::Save);
    m_saveAs->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_saveArchive->setObjectName(QStringLiteral("saveArchiveAction"));
    m_saveArchive->setText(tr("Save as &Archive…"));
    m_saveArchive->setToolTip(tr("Save the selected file or folder as a tar archive"));
    m_saveArchive->setIcon(QIcon::fromTheme(QStringLiteral("document-save-all")));
    m_saveArchive->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_saveArchive->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_focusFilter->setObjectName(QStringLiteral("focusFilterAction"));
    m_focusFilter->setShortcut(QKeySequence::Find);
    m_focusFilter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_saveAs);
    addAction(m_saveArchive);
    addAction(m_focusFilter);
    m_tree->addAction(m_saveAs);
    m_tree->addAction(m_saveArchive);

    connect(m_saveAs, &QAction::triggered, this, &ImageFilesView::saveSelected);
    connect(m_saveArchive, &QAction::triggered, this, &ImageFilesView::saveSelectedAsArchive);
    connect(m_focusFilter, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    connect(m_lookInside, &QPushButton::clicked, this, &ImageFilesView::lookInside);
    connect(m_retry, &QAction::triggered, this, &ImageFilesView::lookInside);
    connect(m_cancel, &QPushButton::clicked, this, &ImageFilesView::cancel);
    connect(m_layers, &QComboBox::activated, this, [this](int row) {
        showLayer(m_layers->itemData(row).toInt());
    });
    connect(m_changesOnly, &QCheckBox::toggled, this, &ImageFilesView::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, m_filterSettle, qOverload<>(&QTimer::start));
    connect(m_filter, &QLineEdit::returnPressed, this, &ImageFilesView::applyFilter);
    connect(m_filterSettle, &QTimer::timeout, this, &ImageFilesView::applyFilter);
    connect(m_model, &ImageFilesModel::filterApplied, this, &ImageFilesView::updateFilterStatus);
    connect(m_model, &ImageFilesModel::filteringChanged, this, &ImageFilesView::updateFilterStatus);
    connect(m_tree->selectionModel(),
            &QItemSelectionModel::currentChanged,
            this,
            &ImageFilesView::currentChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ImageFilesView::currentChanged);
    connect(m_largest, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        selectPath(item->data(Qt::UserRole).toByteArray());
    });
}

QWidget *ImageFilesView::buildEmptyPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(m_emptyText);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(m_lookInside);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
    return page;
}

QWidget *ImageFilesView::buildLoadingPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(m_loadingText);
    layout->addWidget(m_progress);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(m_cancel);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
    return page;
}

QWidget *ImageFilesView::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    auto *layerLabel = new QLabel(tr("La&yer:"), bar);
    layerLabel->setBuddy(m_layers);
    row->addWidget(layerLabel);
    // A layer's name is its build step, often a long command: the combo shows the start and
    // leaves the filter room to be typed in (its popup still shows whole names).
    m_layers->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_layers->setMinimumContentsLength(14);
    m_filter->setMinimumWidth(m_filter->fontMetrics().averageCharWidth() * 18);
    row->addWidget(m_layers, 1);
    row->addWidget(m_changesOnly);
    row->addWidget(m_filter, 1);
    for (QAction *action : {m_saveAs, m_saveArchive}) {
        auto *button = new QToolButton(bar);
        button->setDefaultAction(action);
        button->setObjectName(action->objectName() + u"Button");
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        row->addWidget(button);
    }
    return bar;
}

QWidget *ImageFilesView::buildFilesPage()
{
    auto *treeBox = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treeBox);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->addWidget(m_tree, 1);
    treeLayout->addWidget(m_filterStatus);

    auto *side = new QSplitter(Qt::Vertical, this);
    auto *largestBox = new QWidget(side);
    auto *largestLayout = new QVBoxLayout(largestBox);
    largestLayout->setContentsMargins(0, 0, 0, 0);
    auto *largestLabel = new QLabel(tr("Lar&gest files"), largestBox);
    largestLabel->setBuddy(m_largest);
    largestLayout->addWidget(largestLabel);
    largestLayout->addWidget(m_largest);
    side->addWidget(largestBox);
    side->addWidget(m_preview);
    side->setSizes({150, 300});

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("filesSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(treeBox);
    splitter->addWidget(side);
    splitter->setSizes({600, 350});

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildToolbar());
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    return page;
}

void ImageFilesView::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
    updateActions();
}

void ImageFilesView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyChangeColours();
}

void ImageFilesView::applyChangeColours()
{
    // The whole image's tree marks every path (added, or changed by a later layer): colour only
    // what the layer shown did, or the whole tree would be green.
    if (m_layer < 0) {
        m_model->setChangeColours({});
        return;
    }
    // The chips' text colours: dark on a light window, light on a dark one, so they keep their
    // contrast on the tree's base colour in both.
    const QPalette p = palette();
    m_model->setChangeColours({
        {int(Change::Added), StateChip::colours(ChipKind::Running, p).text},
        {int(Change::Changed), StateChip::colours(ChipKind::UpdateAvailable, p).text},
        {int(Change::Deleted), StateChip::colours(ChipKind::Failed, p).text},
    });
}

void ImageFilesView::setTransferManager(TransferManager *transfers)
{
    m_transfers = transfers;
    showEmptyMessage();
}

void ImageFilesView::setAutoLoad(bool autoLoad)
{
    m_autoLoad = autoLoad;
}

bool ImageFilesView::isLoading() const
{
    return m_job && m_job->isActive();
}

void ImageFilesView::clear()
{
    setSource(nullptr, {});
}

void ImageFilesView::setSource(std::shared_ptr<ContentsSource> source,
                               const QString &name,
                               ImageBackend *watched)
{
    ++m_generation;
    m_layerCancel.cancel();
    // Another image: a look still under way is no longer wanted (its layers need not download).
    if (m_job && m_job->isActive())
        m_job->cancel();
    m_source = std::move(source);
    m_name = name;
    m_watched = watched;
    m_contents.reset();
    m_job = nullptr;
    m_layer = -1;
    m_model->setTree(nullptr);
    m_preview->setImage(nullptr, nullptr);
    m_largest->clear();
    m_layers->clear();
    m_summary->clear();
    m_notice->clear();
    showEmptyMessage();
    m_loadWhenShown = m_source && m_autoLoad;
    if (m_loadWhenShown && isVisible())
        lookInside();
}

void ImageFilesView::showEmptyMessage()
{
    if (!m_source) {
        m_emptyText->setText(tr("Select an image to see the files inside it."));
    } else {
        m_emptyText->setText(tr("See the files inside %1 without pulling it. Berth reads each "
                                "layer once and remembers what it holds, so a second look "
                                "downloads nothing.")
                                 .arg(m_name));
    }
    m_lookInside->setVisible(m_source && m_transfers);
    showPage(Page::Empty);
}

void ImageFilesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loadWhenShown && !m_contents && !isLoading())
        lookInside();
}

void ImageFilesView::lookInside()
{
    m_loadWhenShown = false;
    if (!m_source || !m_transfers || isLoading())
        return;
    const int generation = ++m_generation;
    m_notice->clear();
    TransferJob *job = m_transfers->lookInside(
        m_source,
        m_watched,
        guarded(this, [this, generation](std::shared_ptr<LoadedContents> contents) {
            contentsArrived(std::move(contents), generation);
        }));
    followJob(job);
    connect(job, &TransferJob::finished, this, [this, job, generation] {
        jobFinished(job, generation);
    });
}

void ImageFilesView::followJob(TransferJob *job)
{
    m_job = job;
    m_loadingText->setText(
        tr("Looking inside %1… The Transfers panel shows this too.").arg(m_name));
    m_progress->setRange(0, 0);
    connect(job, &TransferJob::progressChanged, m_progress, [this, job] {
        if (job != m_job)
            return;
        const double fraction = job->fraction();
        if (fraction < 0) {
            m_progress->setRange(0, 0);
        } else {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(fraction * 1000));
        }
        m_progress->setFormat(job->statusText());
    });
    showPage(Page::Loading);
}

void ImageFilesView::cancel()
{
    if (m_job)
        m_job->cancel();
}

void ImageFilesView::jobFinished(TransferJob *job, int generation)
{
    if (job != m_job || generation != m_generation)
        return;
    switch (job->state()) {
    case TransferJob::State::Failed: {
        const ErrorAdvice advice = adviceFor(job);
        showEmptyMessage();
        m_notice->showError(advice.sentence, advice.advice, {m_retry});
        emit failed();
        break;
    }
    case TransferJob::State::Cancelled:
        showEmptyMessage();
        m_notice->showInformation(tr("Stopped looking inside %1.").arg(m_name));
        emit failed();
        break;
    default:
        break;
    }
}

void ImageFilesView::contentsArrived(std::shared_ptr<LoadedContents> contents, int generation)
{
    if (generation != m_generation || !contents)
        return;
    m_contents = std::move(contents);
    m_preview->setImage(m_source, m_contents);
    m_notice->clear();
    fillLayers();
    fillSummary();
    fillLargest();
    m_layer = -1;
    setTree(m_contents->tree);
    showPage(Page::Files);
    emit loaded();
}

void ImageFilesView::fillLayers()
{
    m_layers->clear();
    m_layers->addItem(QIcon::fromTheme(QStringLiteral("edit-select-all-layers")),
                      tr("All layers (%1)").arg(formatSize(m_contents->summary.visibleBytes)),
                      -1);
    const auto &layers = m_contents->image.layers;
    for (int i = 0; i < layers.size(); ++i) {
        const QString step = shortStep(layers.at(i).createdBy);
        const QString size = formatSize(layers.at(i).blob.size);
        m_layers->addItem(step.isEmpty() ? tr("Layer %1 (%2)").arg(i + 1).arg(size)
                                         : tr("Layer %1 · %2 (%3)").arg(i + 1).arg(step, size),
                          i);
        if (i < m_contents->summary.layers.size())
            m_layers->setItemData(
                m_layers->count() - 1, layerTip(m_contents->summary.layers.at(i)), Qt::ToolTipRole);
    }
    m_layers->setCurrentIndex(0);
}

void ImageFilesView::fillSummary()
{
    const ImageTreeSummary &s = m_contents->summary;
    const QString efficiency = QLocale().toString(s.efficiency() * 100.0, 'f', 1);
    m_summary->setText(tr("%n path(s), %1 · efficiency %2 % · %3 wasted (files later layers "
                          "overwrite or delete)",
                          nullptr,
                          int(std::min<qint64>(s.entries, INT_MAX)))
                           .arg(formatSize(s.visibleBytes), efficiency, formatSize(s.wastedBytes)));
}

void ImageFilesView::fillLargest()
{
    m_largest->clear();
    const int generation = m_generation;
    runInBackground(
        this,
        [tree = m_contents->tree] { return largestFiles(*tree, LargestCount); },
        [this, generation](QList<LargestFile> files) {
            if (generation != m_generation)
                return;
            for (const LargestFile &file : files) {
                auto *item
                    = new QListWidgetItem(tr("%1  %2 (layer %3)")
                                              .arg(formatSize(file.size), displayPath(file.path))
                                              .arg(file.layer + 1),
                                          m_largest);
                item->setData(Qt::UserRole, file.path);
                item->setToolTip(u'/' + displayPath(file.path));
            }
        });
}

void ImageFilesView::showLayer(int layer)
{
    if (!m_contents || layer == m_layer)
        return;
    m_layerCancel.cancel();
    m_layerCancel = CancelToken();
    m_layer = layer;
    m_changesOnly->setEnabled(layer >= 0);
    const int combo = m_layers->findData(layer);
    if (combo >= 0)
        m_layers->setCurrentIndex(combo);
    if (layer < 0) {
        setTree(m_contents->tree);
        return;
    }
    const int generation = m_generation;
    m_filterStatus->setText(tr("Reading layer %1…").arg(layer + 1));
    layerView(
        m_contents,
        layer,
        m_layerCancel,
        guarded(this, [this, generation, layer](Result<std::shared_ptr<const IndexFile>> tree) {
            if (generation != m_generation || layer != m_layer)
                return;
            if (!tree) {
                if (!tree.error().isCancelled())
                    m_notice->showError(tr("Layer %1 could not be shown.").arg(layer + 1),
                                        tr("Look inside the image again."),
                                        {m_retry});
                return;
            }
            setTree(*tree);
        }));
}

void ImageFilesView::setTree(std::shared_ptr<const IndexFile> tree)
{
    m_changesOnly->setEnabled(m_layer >= 0);
    m_model->setTree(std::move(tree));
    applyChangeColours();
    applyFilter();
    updateFilterStatus();
    emit treeShown();
}

void ImageFilesView::setFilterText(const QString &text)
{
    m_filter->setText(text);
    applyFilter();
}

void ImageFilesView::applyFilter()
{
    m_filterSettle->stop();
    m_model->setFilter({m_filter->text().trimmed(), m_layer >= 0 && m_changesOnly->isChecked()});
}

void ImageFilesView::updateFilterStatus()
{
    if (m_model->isFiltering()) {
        m_filterStatus->setText(tr("Filtering…"));
        return;
    }
    const FilesFilter filter = m_model->filter();
    if (!filter.isActive()) {
        m_filterStatus->clear();
        return;
    }
    const qint64 matches = m_model->matchCount();
    if (matches == 0)
        m_filterStatus->setText(filter.text.isEmpty()
                                    ? tr("This layer changed nothing.")
                                    : tr("No name contains “%1”.").arg(filter.text));
    else
        m_filterStatus->setText(
            tr("%n path(s) match", nullptr, int(std::min<qint64>(matches, INT_MAX))));
    if (matches > 0 && matches <= ExpandAllLimit)
        m_tree->expandAll();
}

bool ImageFilesView::selectPath(const QByteArray &path)
{
    QModelIndex index = m_model->indexForPath(path);
    if (!index.isValid() && m_model->filter().isActive()) {
        m_filter->clear();
        m_changesOnly->setChecked(false);
        applyFilter();
        index = m_model->indexForPath(path);
    }
    if (!index.isValid())
        return false;
    for (QModelIndex up = index.parent(); up.isValid(); up = up.parent())
        m_tree->expand(up);
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    m_tree->setFocus(Qt::OtherFocusReason);
    return true;
}

void ImageFilesView::currentChanged()
{
    updateActions();
    const qint64 record = m_model->recordAt(m_tree->currentIndex());
    if (record < 0 || !m_model->tree()) {
        m_preview->clear();
        return;
    }
    m_preview->showEntry(m_model->tree()->entry(record));
}

void ImageFilesView::updateActions()
{
    const bool files = m_pages->currentIndex() == int(Page::Files);
    const qint64 record = m_model->recordAt(m_tree->currentIndex());
    bool savable = files && record >= 0;
    bool asFile = savable;
    if (savable) {
        const ContentsEntry entry = m_model->tree()->entry(record);
        savable = entry.change != Change::Deleted;
        using Type = ContentsEntry::Type;
        asFile = savable
                 && (entry.type == Type::File || entry.type == Type::Directory
                     || entry.type == Type::Symlink || entry.type == Type::HardLink);
    }
    m_saveAs->setEnabled(asFile);
    m_saveArchive->setEnabled(savable);
    m_layers->setEnabled(files);
    m_filter->setEnabled(files);
}

QByteArray ImageFilesView::selectedPath() const
{
    const qint64 record = m_model->recordAt(m_tree->currentIndex());
    return record < 0 ? QByteArray() : m_model->tree()->path(record).toByteArray();
}

void ImageFilesView::saveSelected()
{
    startSave(false);
}

void ImageFilesView::saveSelectedAsArchive()
{
    startSave(true);
}

void ImageFilesView::startSave(bool asArchive)
{
    const qint64 record = m_model->recordAt(m_tree->currentIndex());
    if (record < 0 || !m_contents || !m_transfers)
        return;
    const ContentsEntry entry = m_model->tree()->entry(record);
    const QString name = suggestedName(entry.path, QStringLiteral("files"));
    FileRequest request;
    request.purpose = QStringLiteral("imagefiles");
    FilesDestination destination;
    if (asArchive) {
        request.mode = FileRequest::Mode::Save;
        request.caption = tr("Save %1 as an Archive").arg(name);
        request.suggestedPath = QDir(lastFolder(request.purpose)).filePath(name + u".tar");
        request.filter = filesystemArchiveFileFilter();
        destination.kind = FilesDestination::Kind::Tar;
    } else if (entry.type == ContentsEntry::Type::Directory) {
        request.mode = FileRequest::Mode::Directory;
        request.caption = tr("Save the Folder %1 Into").arg(name);
        request.suggestedPath = lastFolder(request.purpose);
        destination.kind = FilesDestination::Kind::Folder;
    } else {
        request.mode = FileRequest::Mode::Save;
        request.caption = tr("Save %1 As").arg(name);
        request.suggestedPath = QDir(lastFolder(request.purpose)).filePath(name);
        request.filter = tr("All files (*)");
        destination.kind = FilesDestination::Kind::File;
    }
    destination.path = chooseFile(m_chooseFile, this, request);
    if (destination.path.isEmpty())
        return;
    TransferJob *job
        = m_transfers->saveFiles(m_source, m_contents, entry.path, destination, m_watched);
    emit saveStarted(job);
}

} // namespace Berth
