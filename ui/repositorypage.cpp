#include "repositorypage.h"

#include "common/humanize.h"
#include "erroradvice.h"
#include "imagehistoryview.h"
#include "inlinemessage.h"
#include "overviewbrowser.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>

namespace Berth {

TagComparison compareImages(const QString &first,
                            const InspectedImage &a,
                            const QString &second,
                            const InspectedImage &b)
{
    TagComparison comparison;
    comparison.first = first;
    comparison.second = second;
    comparison.platform = a.platform;
    comparison.firstLayers = int(a.manifest.layers.size());
    comparison.secondLayers = int(b.manifest.layers.size());
    QSet<QString> inSecond;
    for (const Descriptor &layer : b.manifest.layers)
        inSecond.insert(layer.digest.toString());
    for (const Descriptor &layer : a.manifest.layers) {
        if (inSecond.contains(layer.digest.toString()))
            ++comparison.sharedLayers;
    }
    comparison.sizeDifference = b.manifest.layersSize() - a.manifest.layersSize();
    return comparison;
}

RepositoryPage::RepositoryPage(HubClient *hub, RegistryClient *registry, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
    , m_registry(registry)
    , m_title(new QLabel(this))
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
    , m_pull(new QPushButton(tr("&Pull"), this))
    , m_pullPlatform(new QPushButton(tr("Pull p&latform…"), this))
    , m_platformMenu(new QMenu(this))
    , m_compare(new QPushButton(tr("Co&mpare"), this))
    , m_compareResult(new QLabel(this))
{
    setObjectName(QStringLiteral("repositoryPage"));
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
    m_compare->setAccessibleName(tr("Compare the two selected tags"));
    m_compare->setToolTip(tr("Select two tags (Ctrl+click) to compare their layers"));
    m_compareResult->setObjectName(QStringLiteral("compareResult"));
    m_compareResult->setAccessibleName(tr("Comparison"));
    m_compareResult->setWordWrap(true);
    m_compareResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(m_command, 1);
    commandRow->addWidget(m_copy);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pull);
    buttons->addWidget(m_pullPlatform);
    buttons->addWidget(m_compare);
    buttons->addStretch(1);

    auto *tagsSide = new QWidget(this);
    auto *tagsLayout = new QVBoxLayout(tagsSide);
    tagsLayout->setContentsMargins(0, 0, 0, 0);
    tagsLayout->addWidget(m_tagsView, 1);
    tagsLayout->addLayout(buttons);
    tagsLayout->addWidget(m_compareResult);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("tagsSplitter"));
    splitter->addWidget(tagsSide);
    splitter->addWidget(m_history);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    m_tabs->setObjectName(QStringLiteral("repositoryTabs"));
    m_tabs->setAccessibleName(tr("Repository sections"));
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(splitter, tr("&Tags"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addLayout(commandRow);
    layout->addWidget(m_notice);
    layout->addWidget(m_tabs, 1);

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

    tagChanged();
    selectionChanged();
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
    m_comparison.reset();
    m_compareResult->clear();
    clearProblems();
    m_history->clear();
    if (!repository) {
        m_repository = {};
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
    m_tagsModel->setRepository(m_repository);

    if (!wantedTag.isEmpty()) {
        const int generation = m_generation;
        auto select = std::make_shared<QMetaObject::Connection>();
        *select = connect(
            m_tagsModel, &TagGroupsModel::loaded, this, [this, select, wantedTag, generation] {
                disconnect(*select);
                if (generation == m_generation && m_tagsView->selectTag(wantedTag))
                    m_tabs->setCurrentIndex(1);
            });
    }
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
    QPointer<RepositoryPage> self(this);
    m_hub->repository(
        path.section(u'/', 0, 0),
        path.section(u'/', 1),
        [self, generation](Result<HubRepository> repository) {
            if (!self || self->m_generation != generation)
                return;
            if (!repository) {
                self->m_overview->clear();
                self->showProblem(repository.error(), true);
                return;
            }
            QStringList facts;
            if (!repository->description.isEmpty())
                facts.append(repository->description);
            facts.append(tr("★ %1", "star count").arg(formatCount(repository->starCount)));
            facts.append(tr("%1 pulls").arg(formatCount(repository->pullCount)));
            if (repository->lastUpdated.isValid())
                facts.append(tr("updated %1").arg(formatAge(repository->lastUpdated)));
            self->m_subtitle->setText(facts.join(QStringLiteral(" · ")));
            const QString markdown = !repository->fullDescription.isEmpty()
                                         ? repository->fullDescription
                                         : repository->description;
            if (markdown.isEmpty())
                self->m_overview->setPlainText(tr("This repository has no overview."));
            else
                self->m_overview->showMarkdown(markdown);
        });
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
    rebuildPlatformMenu();
    if (!tag || !m_repository.isValid()) {
        m_history->clear();
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
}

void RepositoryPage::selectionChanged()
{
    m_compare->setEnabled(m_tagsView->selectedTags().size() == 2);
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
    const QStringList tags = m_tagsView->selectedTags();
    if (tags.size() != 2 || !m_registry || !m_repository.isValid())
        return;
    m_comparison.reset();
    InspectOptions options;
    options.platform = m_history->currentPlatform();
    m_compareResult->setText(tr("Comparing %1 and %2…").arg(tags.at(0), tags.at(1)));

    struct Pending
    {
        std::optional<Result<InspectResult>> first;
        std::optional<Result<InspectResult>> second;
    };
    auto pending = std::make_shared<Pending>();
    const int generation = m_generation;
    QPointer<RepositoryPage> self(this);
    const auto arrived = [self, pending, tags, generation] {
        if (!self || self->m_generation != generation || !pending->first || !pending->second)
            return;
        for (const auto *result : {&*pending->first, &*pending->second}) {
            if (!*result) {
                self->m_compareResult->setText(
                    tr("Could not compare: %1").arg((*result).error().message));
                emit self->comparisonFinished();
                return;
            }
            if ((*result)->images.isEmpty()) {
                self->m_compareResult->setText(tr("Could not compare: an image is empty."));
                emit self->comparisonFinished();
                return;
            }
        }
        self->showComparison(compareImages(tags.at(0),
                                           (*pending->first)->images.first(),
                                           tags.at(1),
                                           (*pending->second)->images.first()));
    };
    inspectImage(*m_registry,
                 m_repository.withTag(tags.at(0)),
                 options,
                 [pending, arrived](Result<InspectResult> result) {
                     pending->first = std::move(result);
                     arrived();
                 });
    inspectImage(*m_registry,
                 m_repository.withTag(tags.at(1)),
                 options,
                 [pending, arrived](Result<InspectResult> result) {
                     pending->second = std::move(result);
                     arrived();
                 });
}

void RepositoryPage::showComparison(const TagComparison &c)
{
    m_comparison = c;
    QString text = tr("%1 and %2 (%3) share %n layer(s)", nullptr, c.sharedLayers)
                       .arg(c.first, c.second, c.platform.toString());
    text += u"; " + tr("%1 has %n layer(s)", nullptr, c.firstLayers).arg(c.first) + u", "
            + tr("%1 has %n layer(s)", nullptr, c.secondLayers).arg(c.second) + u". ";
    if (c.sizeDifference > 0)
        text += tr("%1 is %2 larger.").arg(c.second, formatSize(c.sizeDifference));
    else if (c.sizeDifference < 0)
        text += tr("%1 is %2 smaller.").arg(c.second, formatSize(-c.sizeDifference));
    else
        text += tr("Both are the same size.");
    m_compareResult->setText(text);
    emit comparisonFinished();
}

} // namespace Berth
