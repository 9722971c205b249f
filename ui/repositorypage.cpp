#include "repositorypage.h"

#include "accountsmodel.h"
#include "common/guarded.h"
#include "common/humanize.h"
#include "erroradvice.h"
#include "imagefiles/contentssource.h"
#include "imagefilesview.h"
#include "imagehistoryview.h"
#include "inlinemessage.h"
#include "overviewbrowser.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "statechip.h"
#include "tagactions.h"
#include "tagcompareview.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"
#include "transfermanager.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <array>
#include <memory>

namespace Berth {

RepositoryPage::RepositoryPage(HubClient *hub, RegistryClient *registry, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
    , m_registry(registry)
    , m_title(new QLabel(this))
    , m_officialChip(new ChipLabel(ChipKind::Official, tr("Official image"), this))
    , m_subtitle(new QLabel(this))
    , m_command(new QLineEdit(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
    , m_notice(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new OverviewBrowser(this))
    , m_tagsModel(new TagGroupsModel(hub, registry, this))
    , m_tagsView(new TagGroupsView(m_tagsModel, this))
    , m_history(new ImageHistoryView(registry, this))
    , m_files(new ImageFilesView(nullptr, this))
    , m_pull(new QPushButton(tr("&Pull"), this))
    , m_pullPlatform(new QPushButton(tr("Pull p&latform…"), this))
    , m_platformMenu(new QMenu(this))
    , m_compare(new QPushButton(tr("Co&mpare"), this))
    , m_compareView(new TagCompareView(m_tagsModel, registry, this))
    , m_detailsTabs(new QTabWidget(this))
    , m_tagsSplitter(new QSplitter(Qt::Horizontal, this))
    , m_tagActions(new TagActions(this))
{
    setupWidgets();
    buildTagActions();
    buildLayout();
    connectSignals();
    tagChanged();
    selectionChanged();
}

void RepositoryPage::setupWidgets()
{
    setObjectName(QStringLiteral("repositoryPage"));
    m_tagsModel->setObjectName(QStringLiteral("tagGroupsModel"));
    setAccessibleName(tr("Repository"));

    m_title->setObjectName(QStringLiteral("repositoryTitle"));
    m_title->setAccessibleName(tr("Repository name"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    m_title->setFont(titleFont);
    m_subtitle->setObjectName(QStringLiteral("repositorySubtitle"));
    m_subtitle->setAccessibleName(tr("Repository summary"));
    m_subtitle->setTextFormat(Qt::PlainText);
    m_subtitle->setWordWrap(true);

    m_command->setObjectName(QStringLiteral("pullCommand"));
    m_command->setAccessibleName(tr("Pull command"));
    m_command->setReadOnly(true);
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copy->setObjectName(QStringLiteral("copyPullCommand"));
    m_copy->setAccessibleName(tr("Copy the pull command"));
    m_copy->setToolTip(tr("Copy the pull command to the clipboard"));
    m_copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));

    m_notice->setAccessibleName(tr("Repository error"));
    m_notice->setObjectName(QStringLiteral("noticeBar"));

    m_overview->setObjectName(QStringLiteral("overview"));
    m_overview->setAccessibleName(tr("Overview"));

    m_pull->setObjectName(QStringLiteral("pullButton"));
    m_pull->setAccessibleName(tr("Pull the selected tag"));
    m_pullPlatform->setObjectName(QStringLiteral("pullPlatformButton"));
    m_pullPlatform->setAccessibleName(tr("Pull one platform of the selected tag"));
    m_pullPlatform->setMenu(m_platformMenu);
    m_platformMenu->setObjectName(QStringLiteral("pullPlatformMenu"));
    m_compare->setObjectName(QStringLiteral("compareButton"));
    m_compare->setAccessibleName(tr("Compare the selected tags side by side"));
    m_compare->setToolTip(tr("Compare the two selected tags (Ctrl+click), or the selected tag "
                             "with another, side by side"));
    m_compare->setIcon(QIcon::fromTheme(QStringLiteral("view-split-left-right")));
    m_pull->setIcon(QIcon::fromTheme(QStringLiteral("download")));
    m_pullPlatform->setIcon(QIcon::fromTheme(QStringLiteral("download")));
    m_officialChip->setObjectName(QStringLiteral("officialChip"));
    m_officialChip->setToolTip(tr("A Docker Official Image, curated by Docker"));
    m_officialChip->hide();
}

QWidget *RepositoryPage::buildTagsTab()
{
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pull);
    buttons->addWidget(m_pullPlatform);
    buttons->addWidget(m_compare);
    buttons->addStretch(1);
    // The registry actions, as tool buttons that follow their actions' state and tooltips.
    for (QAction *action : m_tagActions->actions()) {
        auto *button = new QToolButton(this);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setDefaultAction(action);
        buttons->addWidget(button);
    }

    auto *tagsSide = new QWidget(this);
    auto *tagsLayout = new QVBoxLayout(tagsSide);
    tagsLayout->setContentsMargins(0, 0, 0, 0);
    tagsLayout->addWidget(m_tagsView, 1);
    tagsLayout->addLayout(buttons);

    m_detailsTabs->setObjectName(QStringLiteral("tagDetailsTabs"));
    m_detailsTabs->setAccessibleName(tr("Tag details"));
    m_detailsTabs->addTab(m_history, tr("&Details"));
    m_detailsTabs->addTab(m_files, QIcon::fromTheme(QStringLiteral("folder-open")), tr("&Files"));
    m_detailsTabs->addTab(m_compareView, tr("Compa&rison"));

    m_tagsSplitter->setObjectName(QStringLiteral("tagsSplitter"));
    m_tagsSplitter->setChildrenCollapsible(false);
    m_tagsSplitter->addWidget(tagsSide);
    m_tagsSplitter->addWidget(m_detailsTabs);
    // No stretch factors: resizing the window then keeps the panes' proportions, so the place
    // the user chose (restored below) survives the first layout and later resizes.
    m_tagsSplitter->setSizes({3000, 2000});
    m_tagsSplitter->restoreState(QSettings().value(splitterStateKey()).toByteArray());
    return m_tagsSplitter;
}

void RepositoryPage::buildLayout()
{
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(m_command, 1);
    commandRow->addWidget(m_copy);

    m_tabs->setObjectName(QStringLiteral("repositoryTabs"));
    m_tabs->setAccessibleName(tr("Repository sections"));
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(buildTagsTab(), tr("&Tags"));

    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title);
    titleRow->addWidget(m_officialChip);
    titleRow->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(titleRow);
    layout->addWidget(m_subtitle);
    layout->addLayout(commandRow);
    layout->addWidget(m_notice);
    layout->addWidget(m_tabs, 1);
}

void RepositoryPage::connectSignals()
{
    connect(m_copy, &QPushButton::clicked, this, &RepositoryPage::copyPullCommand);
    connect(m_pull, &QPushButton::clicked, this, &RepositoryPage::pullSelected);
    connect(m_compare, &QPushButton::clicked, this, &RepositoryPage::compareSelected);
    connect(m_retry, &QAction::triggered, this, &RepositoryPage::reload);
    connect(m_tagsView, &TagGroupsView::currentTagChanged, this, &RepositoryPage::tagChanged);
    connect(m_tagsView, &TagGroupsView::selectionChanged, this, &RepositoryPage::selectionChanged);
    connect(m_tagsModel, &TagGroupsModel::errorOccurred, this, [this](const Error &error) {
        showProblem(error, m_repository.isDockerHub());
    });
    connect(m_tagsModel, &QAbstractItemModel::modelReset, this, &RepositoryPage::tagChanged);
    connect(m_tagsSplitter, &QSplitter::splitterMoved, this, &RepositoryPage::saveSplitter);
    connect(m_history, &ImageHistoryView::imageShown, this, [this] {
        m_compareView->setPreferredPlatform(m_history->currentPlatform());
        updateFilesSource(); // the platform the details settled on
    });
    connect(
        m_compareView, &TagCompareView::comparisonShown, this, &RepositoryPage::comparisonFinished);
    connect(m_compareView, &TagCompareView::failed, this, &RepositoryPage::comparisonFinished);
}

RepositoryPage::~RepositoryPage() = default;

void RepositoryPage::saveSplitter()
{
    QSettings().setValue(splitterStateKey(), m_tagsSplitter->saveState());
}

void RepositoryPage::openRepository(const QString &name)
{
    const QString text = name.trimmed();
    auto repository = ImageReference::parseRepository(text);
    QString wantedTag;
    if (!repository) {
        // "node:18" pasted from a command: open the repository, then its tag.
        if (auto reference = ImageReference::parse(text)) {
            wantedTag = reference->tag();
            repository = reference->withTag(QString());
        }
    }
    ++m_generation;
    clearProblems();
    m_history->clear();
    m_filesImage.clear();
    m_files->clear();
    m_officialChip->setVisible(repository && repository->isDockerHub()
                               && repository->path().startsWith(u"library/"));
    if (!repository) {
        m_repository = {};
        m_compareView->setRepository({});
        m_tagsModel->clear();
        m_title->setText(text);
        m_subtitle->clear();
        m_command->clear();
        m_overview->clear();
        m_notice->showError(repository.error().message,
                            tr("Enter a name such as node, jean/mon-app or "
                               "localhost:5000/team/app."));
        return;
    }
    m_repository = *repository;
    m_title->setText(m_repository.familiarRepository());
    m_command->setText(pullCommand());
    loadOverview();
    m_compareView->setRepository(m_repository);
    m_tagsModel->setRepository(m_repository);

    if (!wantedTag.isEmpty())
        selectWhenListed(wantedTag);
}

// A registry's tags arrive in batches: the wanted tag is selected as soon as it is listed, not
// after the last one.
void RepositoryPage::selectWhenListed(const QString &wantedTag)
{
    const int generation = m_generation;
    auto connections = std::make_shared<std::array<QMetaObject::Connection, 2>>();
    const auto attempt = [this, connections, wantedTag, generation](bool last) {
        const bool current = generation == m_generation;
        const bool selected = current && m_tagsView->selectTag(wantedTag);
        if (selected)
            m_tabs->setCurrentIndex(1);
        if (selected || last || !current) {
            for (const QMetaObject::Connection &c : *connections)
                disconnect(c);
        }
    };
    (*connections)[0] = connect(
        m_tagsModel, &QAbstractItemModel::rowsInserted, this, [attempt] { attempt(false); });
    (*connections)[1]
        = connect(m_tagsModel, &TagGroupsModel::loaded, this, [attempt] { attempt(true); });
}

void RepositoryPage::reload()
{
    if (m_repository.isValid())
        openRepository(m_repository.familiarRepository());
}

void RepositoryPage::loadOverview()
{
    if (!m_repository.isDockerHub()) {
        m_subtitle->setText(tr("On %1").arg(m_repository.domain()));
        m_overview->showMarkdown(
            tr("%1 is on **%2**, a registry that publishes no description. "
               "Its images are under *Tags*.")
                .arg(m_repository.familiarRepository(), m_repository.domain()));
        m_tabs->setCurrentIndex(1);
        return;
    }
    m_subtitle->setText(tr("On Docker Hub"));
    m_overview->setPlainText(tr("Loading the overview…"));
    m_tabs->setCurrentIndex(0);
    if (!m_hub) {
        m_overview->clear();
        return;
    }
    const QString path = m_repository.path();
    const int generation = m_generation;
    m_hub->repository(
        path.section(u'/', 0, 0),
        path.section(u'/', 1),
        guarded(this, [this, generation](Result<HubRepository> repository) {
            if (m_generation != generation)
                return;
            if (!repository) {
                m_overview->clear();
                showProblem(repository.error(), true);
                return;
            }
            QStringList facts;
            if (!repository->description.isEmpty())
                facts.append(repository->description);
            facts.append(tr("★ %1", "star count").arg(formatCount(repository->starCount)));
            facts.append(tr("%1 pulls").arg(formatCount(repository->pullCount)));
            if (repository->lastUpdated.isValid())
                facts.append(tr("updated %1").arg(formatAge(repository->lastUpdated)));
            m_subtitle->setText(facts.join(QStringLiteral(" · ")));
            const QString markdown = !repository->fullDescription.isEmpty()
                                         ? repository->fullDescription
                                         : repository->description;
            if (markdown.isEmpty())
                m_overview->setPlainText(tr("This repository has no overview."));
            else
                m_overview->showMarkdown(markdown);
        }));
}

void RepositoryPage::showProblem(const Error &error, bool fromHub)
{
    if (error.isCancelled())
        return;
    if (!m_problems.contains(error.message))
        m_problems.append(error.message);
    const QString advice
        = fromHub ? hubAdvice(error) : registryAdvice(error, m_repository.domain());
    m_notice->showError(m_problems.join(u'\n'), advice, {m_retry});
}

void RepositoryPage::clearProblems()
{
    m_problems.clear();
    m_notice->clear();
}

QString RepositoryPage::pullCommand() const
{
    if (!m_repository.isValid())
        return QString();
    const auto tag = m_tagsView->currentTag();
    return u"docker pull "
           + (tag ? m_repository.withTag(tag->name).familiarString()
                  : m_repository.familiarRepository());
}

void RepositoryPage::tagChanged()
{
    const auto tag = m_tagsView->currentTag();
    const TagGroup *group = m_tagsView->currentGroup();
    m_command->setText(pullCommand());
    m_pull->setEnabled(tag.has_value());
    updateTagActions();
    rebuildPlatformMenu();
    selectionChanged();
    if (!tag || !m_repository.isValid()) {
        m_history->clear();
        updateFilesSource();
        return;
    }
    QList<Platform> platforms;
    for (const PlatformImage &image : tag->images) {
        if (!image.platform.isUnknown() && !image.platform.os.isEmpty())
            platforms.append(image.platform);
    }
    if (platforms.isEmpty() && group)
        platforms = group->platforms();
    m_history->showImage(m_repository.withTag(tag->name), platforms);
    updateFilesSource();
}

void RepositoryPage::setTransfers(TransferManager *transfers)
{
    m_transfers = transfers;
    m_files->setTransferManager(transfers);
    m_compareView->setFilesServices(nullptr, transfers);
    m_tagActions->setServices(m_transfers, m_registry, m_hub, m_accounts);
}

void RepositoryPage::setAccounts(AccountsModel *accounts)
{
    m_accounts = accounts;
    m_tagActions->setServices(m_transfers, m_registry, m_hub, m_accounts);
}

void RepositoryPage::buildTagActions()
{
    // In the tag list: its context menu, and the shortcuts (Del) while it has the focus.
    auto *tree = m_tagsView->findChild<QTreeView *>(QStringLiteral("tagTree"));
    tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    tree->addActions(m_tagActions->actions());
    connect(m_tagActions, &TagActions::repositoryChanged, this, &RepositoryPage::repositoryChanged);
}

void RepositoryPage::updateTagActions()
{
    const auto tag = m_tagsView->currentTag();
    const TagGroup *group = m_tagsView->currentGroup();
    m_tagActions->setTarget(m_repository,
                            tag ? tag->name : QString(),
                            group ? group->tags : QStringList(),
                            group ? group->platforms() : QList<Platform>());
}

void RepositoryPage::repositoryChanged(const ImageReference &repository)
{
    // A delete or a copy into the repository shown: its tags changed.
    if (m_repository.isValid() && repository == m_repository.withTag(QString()))
        m_tagsModel->reload();
}

void RepositoryPage::updateFilesSource()
{
    const auto tag = m_tagsView->currentTag();
    if (!tag || !m_repository.isValid() || !m_registry) {
        m_filesImage.clear();
        m_files->clear();
        return;
    }
    const ImageReference reference = m_repository.withTag(tag->name);
    const std::optional<Platform> platform = m_history->currentPlatform();
    const QString name = platform
                             ? tr("%1 (%2)").arg(reference.familiarString(), platform->toString())
                             : reference.familiarString();
    if (name == m_filesImage)
        return; // the same image: keep what the tab already read
    m_filesImage = name;
    m_files->setSource(
        std::shared_ptr<ContentsSource>(registryContentsSource(*m_registry, reference, platform)),
        name);
}

void RepositoryPage::selectionChanged()
{
    const QStringList selected = m_tagsView->selectedTags();
    m_compare->setEnabled(selected.size() == 1 || selected.size() == 2);
    const auto current = m_tagsView->currentTag();
    m_compareView->followSelection(selected, current ? current->name : QString());
}

void RepositoryPage::rebuildPlatformMenu()
{
    m_platformMenu->clear();
    const auto tag = m_tagsView->currentTag();
    const TagGroup *group = m_tagsView->currentGroup();
    if (!tag || !group) {
        m_pullPlatform->setEnabled(false);
        return;
    }
    const ImageReference reference = m_repository.withTag(tag->name);
    for (const Platform &platform : group->platforms()) {
        QAction *action = m_platformMenu->addAction(platform.toString());
        connect(action, &QAction::triggered, this, [this, reference, platform] {
            emit pullRequested(reference, platform);
        });
    }
    m_pullPlatform->setEnabled(!m_platformMenu->isEmpty());
}

void RepositoryPage::pullSelected()
{
    if (const auto tag = m_tagsView->currentTag())
        emit pullRequested(m_repository.withTag(tag->name), std::nullopt);
}

void RepositoryPage::copyPullCommand()
{
    const QString command = pullCommand();
    if (command.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(command);
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy, [copy = m_copy] { copy->setText(tr("&Copy")); });
}

void RepositoryPage::compareSelected()
{
    const QStringList selected = m_tagsView->selectedTags();
    if (selected.isEmpty() || !m_repository.isValid())
        return;
    const auto current = m_tagsView->currentTag();
    m_compareView->followSelection(selected, current ? current->name : selected.first());
    m_detailsTabs->setCurrentWidget(m_compareView);
    if (m_compareView->secondTag().isEmpty())
        m_compareView->findChild<QWidget *>(QStringLiteral("compareWithCombo"))->setFocus();
}

std::optional<ImageComparison> RepositoryPage::lastComparison() const
{
    return m_compareView->comparison();
}

} // namespace Berth
