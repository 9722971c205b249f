#include "imagespage.h"

#include "appsettings.h"
#include "imagedetailsdialog.h"
#include "imagefilesdialog.h"
#include "inlinemessage.h"
#include "localimagesmodel.h"
#include "pulldialog.h"
#include "statechip.h"
#include "tagdialog.h"
#include "transfermanager.h"
#include "updatechipdelegate.h"

#include "common/guarded.h"
#include "common/humanize.h"
#include "registry/registrytransport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMetaEnum>
#include <QPainter>
#include <QPushButton>
#include <QShowEvent>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace Berth {

namespace {

// "localhost:5000/team/app:1.0" -> "app-1.0": a file name that says what is inside.
QString suggestedFileName(const QString &reference)
{
    QString name = reference.section(u'/', -1);
    if (name.startsWith(u"sha256:"))
        name = name.mid(7, 12);
    name.replace(u':', u'-');
    name.replace(u'@', u'-');
    return name.isEmpty() ? QStringLiteral("image") : name;
}

// The In use column: a chip where a container uses the image, its names in the tooltip.
class InUseDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem plain = option;
        initStyleOption(&plain, index);
        plain.text.clear(); // the chip says it
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &plain, painter, option.widget);
        if (!index.data(LocalImagesModel::InUseRole).toBool())
            return;
        const QRect area = option.rect.adjusted(4, 0, -4, 0);
        StateChip::paint(painter, area, ChipKind::InUse, index.data().toString(), option.palette);
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QSize chip = StateChip::sizeHint(option.font, LocalImagesModel::tr("In use"));
        return QStyledItemDelegate::sizeHint(option, index).expandedTo(chip + QSize(8, 2));
    }
};

} // namespace

ImagesPage::ImagesPage(LocalImagesModel *images, TransferManager *transfers, QWidget *parent)
    : QWidget(parent)
    , m_images(images)
    , m_transfers(transfers)
    , m_chooseFile(chooseWithFileDialog)
    , m_backendBox(new QComboBox(this))
    , m_backendLabel(new QLabel(this))
    , m_filter(new QLineEdit(this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyState(new QWidget(this))
    , m_emptyLabel(new QLabel(this))
    , m_view(new QTreeView(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_showContainers(new QAction(this))
{
    Q_ASSERT(images && transfers);
    setObjectName(QStringLiteral("ImagesPage"));
    setAccessibleName(tr("Images"));

    QToolBar *toolbar = buildToolbar();
    QHBoxLayout *top = buildBackendRow();
    setUpView();
    buildEmptyState();

    m_message->setObjectName(QStringLiteral("message"));
    m_showContainers->setObjectName(QStringLiteral("showContainersAction"));
    m_showContainers->setIcon(QIcon::fromTheme(QStringLiteral("view-list-details")));
    connect(m_showContainers, &QAction::triggered, this, [this] {
        emit containersRequested(m_blockers);
    });
    m_view->setItemDelegateForColumn(LocalImagesModel::InUseColumn, new InUseDelegate(m_view));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    connectModel();
    backendChanged();
}

QToolBar *ImagesPage::buildToolbar()
{
    auto *toolbar = new QToolBar(tr("Image actions"), this);
    toolbar->setObjectName(QStringLiteral("imagesToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    const auto add = [&](Action a, const QString &text, const QString &icon, auto slot) {
        QAction *act = addAction(a, text, icon);
        connect(act, &QAction::triggered, this, slot);
        return act;
    };
    toolbar->addAction(
        add(Action::Pull, tr("&Pull…"), QStringLiteral("download"), &ImagesPage::pull));
    toolbar->addAction(
        add(Action::Load, tr("&Load…"), QStringLiteral("document-open"), &ImagesPage::load));
    toolbar->addAction(add(Action::LookInsideArchive,
                           tr("Look Inside &Archive…"),
                           QStringLiteral("document-preview-archive"),
                           &ImagesPage::lookInsideArchive));
    toolbar->addSeparator();
    toolbar->addAction(
        add(Action::Push, tr("P&ush…"), QStringLiteral("cloud-upload"), &ImagesPage::pushSelected));
    toolbar->addAction(add(
        Action::Save, tr("&Save…"), QStringLiteral("document-save"), &ImagesPage::saveSelected));
    toolbar->addAction(add(Action::Export,
                           tr("&Export Filesystem…"),
                           QStringLiteral("document-export"),
                           &ImagesPage::exportSelected));
    toolbar->addAction(
        add(Action::Tag, tr("&Tag…"), QStringLiteral("tag"), &ImagesPage::tagSelected));
    toolbar->addAction(add(Action::Inspect,
                           tr("&Inspect"),
                           QStringLiteral("document-properties"),
                           &ImagesPage::inspectSelected));
    toolbar->addAction(add(Action::Remove,
                           tr("&Remove…"),
                           QStringLiteral("edit-delete"),
                           &ImagesPage::removeSelected));
    toolbar->addSeparator();
    toolbar->addAction(
        add(Action::Prune, tr("P&rune…"), QStringLiteral("edit-clear-all"), &ImagesPage::prune));
    toolbar->addAction(
        add(Action::Refresh, tr("Re&fresh"), QStringLiteral("view-refresh"), &ImagesPage::refresh));
    addUpdateActions(toolbar);
    describeActions();
    return toolbar;
}

void ImagesPage::describeActions()
{
    m_actions[Action::Remove]->setShortcut(QKeySequence::Delete);
    m_actions[Action::Refresh]->setShortcut(QKeySequence::Refresh);
    m_actions[Action::Push]->setToolTip(tr("Push the selected image to a registry"));
    m_actions[Action::Save]->setToolTip(tr("Save the selected images to an archive file"));
    m_actions[Action::Export]->setToolTip(
        tr("Write the image's files, flattened, to a tar archive"));
    m_actions[Action::Prune]->setToolTip(tr("Remove images nothing uses"));
    m_actions[Action::LookInsideArchive]->setToolTip(
        tr("See the files of the images in an archive without loading it"));
    for (QAction *a : std::as_const(m_actions)) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QWidget::addAction(a); // shortcuts work wherever the focus is on the page
    }
}

QHBoxLayout *ImagesPage::buildBackendRow()
{
    // The backend switcher: what the user chose, and what it turned out to be.
    m_backendBox->setObjectName(QStringLiteral("backendBox"));
    m_backendBox->setAccessibleName(tr("Where images are stored"));
    for (BackendChoice choice : {BackendChoice::Auto,
                                 BackendChoice::Docker,
                                 BackendChoice::Podman,
                                 BackendChoice::Embedded})
        m_backendBox->addItem(AppSettings::backendDisplayName(choice), int(choice));
    m_backendLabel->setObjectName(QStringLiteral("backendLabel"));
    m_backendLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_backendLabel->setAccessibleName(tr("Image store in use"));
    connect(m_backendBox, &QComboBox::activated, this, [this] {
        m_backendLabel->setText(tr("Connecting…"));
        emit backendChangeRequested(backendChoice());
    });
    auto *backendLabel = new QLabel(tr("I&mages in:"), this);
    backendLabel->setBuddy(m_backendBox);

    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter images"));
    m_filter->setAccessibleName(tr("Filter images by name"));
    m_filter->setClearButtonEnabled(true);

    auto *top = new QHBoxLayout;
    top->addWidget(backendLabel);
    top->addWidget(m_backendBox);
    top->addWidget(m_backendLabel, 1);
    top->addWidget(m_filter);
    return top;
}

void ImagesPage::setUpView()
{
    m_proxy->setSourceModel(m_images);
    m_proxy->setSortRole(LocalImagesModel::RawValueRole);
    m_proxy->setFilterKeyColumn(LocalImagesModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setRecursiveFilteringEnabled(true);
    connect(
        m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName(QStringLiteral("imagesView"));
    m_view->setAccessibleName(tr("Local images"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(LocalImagesModel::CreatedColumn, Qt::DescendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->header()->setSectionResizeMode(LocalImagesModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(LocalImagesModel::InUseColumn,
                                           QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(false);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (Action a : {Action::Inspect,
                     Action::Update,
                     Action::Tag,
                     Action::Push,
                     Action::Save,
                     Action::Export,
                     Action::Remove})
        m_view->addAction(m_actions[a]);
    m_view->setItemDelegateForColumn(LocalImagesModel::NameColumn, new UpdateChipDelegate(m_view));
    connect(m_view, &QTreeView::activated, this, &ImagesPage::inspectSelected);
    connect(m_view->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &ImagesPage::updateActions);
}

void ImagesPage::buildEmptyState()
{
    // With nothing to show, say what can be done rather than show an empty table.
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    auto *emptyPull = new QPushButton(tr("Pull an Image…"), m_emptyState);
    auto *emptyLoad = new QPushButton(tr("Load an Archive…"), m_emptyState);
    connect(emptyPull, &QPushButton::clicked, this, &ImagesPage::pull);
    connect(emptyLoad, &QPushButton::clicked, this, &ImagesPage::load);
    auto *emptyButtons = new QHBoxLayout;
    emptyButtons->addStretch();
    emptyButtons->addWidget(emptyPull);
    emptyButtons->addWidget(emptyLoad);
    emptyButtons->addStretch();
    auto *emptyLayout = new QVBoxLayout(m_emptyState);
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyLabel);
    emptyLayout->addLayout(emptyButtons);
    emptyLayout->addStretch();
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_emptyState);
}

void ImagesPage::connectModel()
{
    connect(m_images, &LocalImagesModel::refreshFailed, this, [this](const QString &error) {
        m_message->showError(tr("The images could not be listed: %1").arg(error));
        updateEmptyState();
    });
    connect(m_images, &LocalImagesModel::loadingChanged, this, &ImagesPage::updateEmptyState);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_images, signal, this, [this] {
            updateEmptyState();
            updateActions();
        });
    }
    connect(m_images, &QAbstractItemModel::modelReset, this, [this] {
        updateEmptyState();
        updateActions();
    });
    connect(m_transfers, &TransferManager::backendChanged, this, &ImagesPage::backendChanged);
    connect(m_transfers, &TransferManager::jobFinished, this, &ImagesPage::jobFinished);
    connectUpdates();
}

ImagesPage::~ImagesPage() = default;

QAction *ImagesPage::addAction(Action action, const QString &text, const QString &icon)
{
    auto *a = new QAction(QIcon::fromTheme(icon), text, this);
    a->setObjectName(
        QString::fromLatin1(QMetaEnum::fromType<Action>().valueToKey(int(action))).toLower()
        + u"Action");
    m_actions.insert(action, a);
    return a;
}

void ImagesPage::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
}

void ImagesPage::setBackendChoice(BackendChoice choice)
{
    m_backendBox->setCurrentIndex(m_backendBox->findData(int(choice)));
}

BackendChoice ImagesPage::backendChoice() const
{
    return BackendChoice(m_backendBox->currentData().toInt());
}

void ImagesPage::showBackendError(const QString &message)
{
    m_backendLabel->setText(tr("Not connected"));
    m_message->showError(message);
}

void ImagesPage::backendChanged()
{
    ImageBackend *backend = m_transfers ? m_transfers->backend() : nullptr;
    m_images->setBackend(backend);
    m_message->clear();
    if (backend) {
        m_backendLabel->setText(backend->description());
        m_backendLabel->setToolTip(backend->description());
        m_images->refresh();
    } else {
        m_backendLabel->setText(tr("No image store open"));
    }
    updateEmptyState();
    updateActions();
}

void ImagesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (event->spontaneous()) // the window coming back from the task bar
        return;
    // What changed while another page was shown (an engine without events, a store on a network
    // share) is there when the page is.
    refresh();
}

void ImagesPage::refresh()
{
    if (m_transfers && m_transfers->backend())
        m_images->refresh();
}

void ImagesPage::jobFinished(TransferJob *job)
{
    // New images arrive through pulls, loads and imports; their page shows them without a click.
    if (job->state() != TransferJob::State::Done || job->backend() != m_images->backend())
        return;
    if (job->kind() == TransferJob::Kind::Pull || job->kind() == TransferJob::Kind::Load
        || job->kind() == TransferJob::Kind::Import)
        m_images->refresh();
}

void ImagesPage::updateEmptyState()
{
    const bool empty = m_images->rowCount() == 0 && !m_images->isLoading();
    if (!m_images->backend())
        m_emptyLabel->setText(tr("No image store is open. Choose where images live above."));
    else if (!m_images->errorString().isEmpty())
        m_emptyLabel->setText(tr("The images could not be listed."));
    else
        m_emptyLabel->setText(tr("No images yet. Pull one from a registry (node:20, for "
                                 "example) or load an archive someone gave you."));
    m_stack->setCurrentWidget(empty ? m_emptyState : static_cast<QWidget *>(m_view));
}

void ImagesPage::updateActions()
{
    const QModelIndexList rows = selectedSourceRows();
    const bool haveBackend = m_images->backend() != nullptr;
    const bool one = rows.size() == 1;
    const bool any = !rows.isEmpty();
    bool anyTagged = false;
    for (const QModelIndex &row : rows)
        anyTagged = anyTagged || !row.data(LocalImagesModel::TagsRole).toStringList().isEmpty();
    m_actions[Action::Pull]->setEnabled(haveBackend);
    m_actions[Action::Load]->setEnabled(haveBackend);
    m_actions[Action::Prune]->setEnabled(haveBackend);
    m_actions[Action::Refresh]->setEnabled(haveBackend);
    m_actions[Action::Tag]->setEnabled(haveBackend && one);
    m_actions[Action::Inspect]->setEnabled(haveBackend && one);
    m_actions[Action::Export]->setEnabled(haveBackend && one);
    m_actions[Action::Push]->setEnabled(haveBackend && anyTagged);
    m_actions[Action::Save]->setEnabled(haveBackend && any);
    m_actions[Action::Remove]->setEnabled(haveBackend && any);
    updateUpdateActions(rows);
}

QModelIndexList ImagesPage::selectedSourceRows() const
{
    QModelIndexList rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows(0);
    for (const QModelIndex &index : selected)
        rows.append(m_proxy->mapToSource(index));
    return rows;
}

QStringList ImagesPage::selectedReferences() const
{
    QStringList names;
    for (const QModelIndex &row : selectedSourceRows()) {
        const QString name = row.data(LocalImagesModel::ReferenceRole).toString();
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

QString ImagesPage::currentReference() const
{
    const QStringList names = selectedReferences();
    return names.size() == 1 ? names.first() : QString();
}

bool ImagesPage::select(const QString &idOrTag)
{
    const QModelIndex source = m_images->find(idOrTag);
    const QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    m_view->scrollTo(index);
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void ImagesPage::setPullLimits(RegistryTransport *transport)
{
    m_pullLimits = transport;
}

void ImagesPage::pull()
{
    auto *dialog = new PullDialog(this);
    dialog->setBackend(m_images->backend()); // the engine's own platform first
    dialog->setPullLimits(m_pullLimits);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const auto reference = dialog->reference(); reference && m_transfers)
            m_transfers->pull(*reference, dialog->request());
    });
    dialog->open();
}

void ImagesPage::load()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Open;
    request.caption = tr("Load Images From an Archive");
    request.purpose = QStringLiteral("load");
    request.suggestedPath = lastFolder(request.purpose);
    request.filter = imageArchiveFileFilter();
    const QString path = chooseFile(m_chooseFile, this, request);
    if (!path.isEmpty() && m_transfers)
        m_transfers->load(path);
}

void ImagesPage::lookInsideArchive()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Open;
    request.caption = tr("Look Inside an Image Archive");
    request.purpose = QStringLiteral("load");
    request.suggestedPath = lastFolder(request.purpose);
    request.filter = imageArchiveFileFilter();
    const QString path = chooseFile(m_chooseFile, this, request);
    if (path.isEmpty() || !m_transfers)
        return;
    auto *dialog = new ImageFilesDialog(m_transfers, path, this);
    dialog->setFileChooser(m_chooseFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void ImagesPage::tagSelected()
{
    const QString source = currentReference();
    if (source.isEmpty())
        return;
    auto *dialog = new TagDialog(m_images->backend(), source, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!source.startsWith(u"sha256:"))
        dialog->setTarget(source);
    connect(dialog, &TagDialog::tagged, this, [this](const QString &target) {
        connect(
            m_images,
            &LocalImagesModel::refreshed,
            this,
            [this, target] { select(target); },
            Qt::SingleShotConnection);
        m_images->refresh();
    });
    dialog->open();
}

void ImagesPage::pushSelected()
{
    QStringList tagged;
    for (const QModelIndex &row : selectedSourceRows()) {
        const QStringList tags = row.data(LocalImagesModel::TagsRole).toStringList();
        for (const QString &tag : tags) {
            if (!tagged.contains(tag))
                tagged.append(tag);
        }
    }
    if (!tagged.isEmpty())
        emit shareRequested(tagged);
}

void ImagesPage::saveSelected()
{
    // An image is saved under all its tags, so that loading it restores every name.
    QStringList names;
    for (const QModelIndex &row : selectedSourceRows()) {
        QStringList tags = row.data(LocalImagesModel::TagsRole).toStringList();
        if (tags.isEmpty())
            tags = {row.data(LocalImagesModel::IdRole).toString()};
        for (const QString &name : std::as_const(tags)) {
            if (!names.contains(name))
                names.append(name);
        }
    }
    if (!names.isEmpty())
        emit saveRequested(names);
}

void ImagesPage::exportSelected()
{
    const QString reference = currentReference();
    if (reference.isEmpty() || !m_transfers)
        return;
    FileRequest request;
    request.mode = FileRequest::Mode::Save;
    request.caption = tr("Export the Filesystem of %1").arg(reference);
    request.purpose = QStringLiteral("export");
    request.suggestedPath
        = QDir(lastFolder(request.purpose)).filePath(suggestedFileName(reference) + u"-rootfs.tar");
    request.filter = filesystemArchiveFileFilter();
    const QString path = chooseFile(m_chooseFile, this, request);
    if (!path.isEmpty())
        m_transfers->exportFilesystem(reference, path);
}

void ImagesPage::inspectSelected()
{
    const QString reference = currentReference();
    if (reference.isEmpty())
        return;
    auto *dialog = new ImageDetailsDialog(m_images->backend(), reference, this);
    dialog->showFiles(m_transfers);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

QList<ImagesPage::Removal> ImagesPage::selectedRemovals() const
{
    QList<Removal> removals;
    QStringList wholeImages; // IDs removed entirely: their tag rows need nothing more
    const QModelIndexList rows = selectedSourceRows();
    for (const QModelIndex &row : rows) {
        if (row.data(LocalImagesModel::IsTagRole).toBool())
            continue;
        const QString id = row.data(LocalImagesModel::IdRole).toString();
        const QStringList tags = row.data(LocalImagesModel::TagsRole).toStringList();
        wholeImages.append(id);
        if (tags.size() == 1)
            removals.append({tags.first(), false, tags});
        else // every tag at once, as `docker rmi -f ID`
            removals.append(
                {id, tags.size() > 1, tags.isEmpty() ? QStringList{id.mid(7, 12)} : tags});
    }
    for (const QModelIndex &row : rows) {
        if (!row.data(LocalImagesModel::IsTagRole).toBool()
            || wholeImages.contains(row.data(LocalImagesModel::IdRole).toString()))
            continue;
        const QString tag = row.data(LocalImagesModel::ReferenceRole).toString();
        removals.append({tag, false, {tag}});
    }
    return removals;
}

void ImagesPage::removeSelected()
{
    const QList<Removal> removals = selectedRemovals();
    if (removals.isEmpty() || !m_images->backend())
        return;
    QStringList shown;
    for (const Removal &r : removals)
        shown.append(r.shown);
    auto *box = new QMessageBox(
        QMessageBox::Question,
        tr("Remove Images"),
        shown.size() == 1 ? tr("Remove %1?").arg(shown.first())
                          : tr("Remove these %n image names?", nullptr, int(shown.size())),
        QMessageBox::NoButton,
        this);
    box->setObjectName(QStringLiteral("removeConfirmation"));
    box->setInformativeText(
        (shown.size() > 1 ? shown.join(u'\n') + u"\n\n" : QString())
        + tr("An image goes when its last name does; layers other images use stay. This cannot "
             "be undone, but a pushed image can be pulled again."));
    QPushButton *remove = box->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmRemove"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel); // Delete then Enter must not destroy anything
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, remove, removals](QAbstractButton *b) {
        if (b == remove)
            runRemovals(removals, {});
    });
    box->open();
}

void ImagesPage::runRemovals(QList<Removal> removals, RemovalOutcome outcome)
{
    ImageBackend *backend = m_images->backend();
    if (removals.isEmpty() || !backend) {
        m_images->refresh();
        reportRemovals(outcome);
        return;
    }
    const Removal next = removals.takeFirst();
    backend->remove(
        next.name,
        next.force,
        guarded(this, [this, next, removals, outcome](Result<RemoveResult> r) mutable {
            if (r) {
                outcome.removed.append(next.shown);
            } else if (!r.error().containers.isEmpty()) {
                // The engine's sentence names the image and its containers already.
                outcome.errors.append(r.error().message);
                outcome.blockers.append(r.error().containers);
            } else {
                outcome.errors.append(
                    tr("%1 was not removed: %2").arg(next.shown.join(u", "), r.error().message));
            }
            runRemovals(removals, outcome);
        }));
}

void ImagesPage::reportRemovals(const RemovalOutcome &outcome)
{
    if (outcome.errors.isEmpty()) {
        if (!outcome.removed.isEmpty())
            m_message->showPositive(tr("Removed %1.").arg(outcome.removed.join(u", ")));
        return;
    }
    m_blockers = outcome.blockers;
    m_blockers.removeDuplicates();
    if (m_blockers.isEmpty()) {
        m_message->showError(outcome.errors.join(u'\n'));
        return;
    }
    m_showContainers->setText(tr("Show the Container(s)", nullptr, int(m_blockers.size())));
    m_message->showMessage(
        InlineMessage::Kind::Error, outcome.errors.join(u'\n'), {m_showContainers});
}

void ImagesPage::prune()
{
    ImageBackend *backend = m_images->backend();
    if (!backend)
        return;
    auto *box = new QMessageBox(QMessageBox::Question,
                                tr("Prune Images"),
                                tr("Remove the images nothing uses?"),
                                QMessageBox::NoButton,
                                this);
    box->setObjectName(QStringLiteral("pruneConfirmation"));
    box->setInformativeText(tr("Untagged images no container uses are removed. With the box "
                               "below checked, every image no container uses goes, tagged or "
                               "not."));
    auto *all = new QCheckBox(tr("Also remove &tagged images (all)"), box);
    all->setObjectName(QStringLiteral("pruneAll"));
    box->setCheckBox(all);
    QPushButton *prune = box->addButton(tr("&Prune"), QMessageBox::DestructiveRole);
    prune->setObjectName(QStringLiteral("confirmPrune"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, prune, all](QAbstractButton *b) {
        if (b != prune || !m_images->backend())
            return;
        PruneOptions options;
        options.all = all->isChecked();
        m_images->backend()->prune(
            options, guarded(this, [this](Result<PruneResult> r) {
                m_images->refresh();
                if (!r) {
                    m_message->showError(tr("Nothing was pruned: %1").arg(r.error().message));
                    return;
                }
                m_message->showPositive(
                    r->removed.isEmpty()
                        ? tr("Nothing to prune: every image is in use or tagged.")
                        : tr("Removed %n image(s), %1 freed.", nullptr, int(r->removed.size()))
                              .arg(formatSize(r->reclaimedBytes)));
            }));
    });
    box->open();
}

} // namespace Berth
