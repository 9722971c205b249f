#include "explorepage.h"

#include "erroradvice.h"
#include "inlinemessage.h"
#include "logocache.h"
#include "officialimagesview.h"
#include "pulldialog.h"
#include "searchresultdelegate.h"
#include "searchresultsmodel.h"

#include "registry/registrytransport.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <climits>

namespace Berth {

ExplorePage::ExplorePage(HubClient *hub, LogoCache *logos, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
    , m_model(new SearchResultsModel(hub, this))
    , m_officialImages(new SearchResultsModel(hub, this))
    , m_debounce(new QTimer(this))
    , m_searchField(new QLineEdit(this))
    , m_official(new QCheckBox(tr("&Official"), this))
    , m_verified(new QCheckBox(tr("&Verified publisher"), this))
    , m_openSource(new QCheckBox(tr("Open &source"), this))
    , m_sort(new QComboBox(this))
    , m_notice(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_views(new QStackedWidget(this))
    , m_startPage(new QWidget(this))
    , m_startMessage(new InlineMessage(m_startPage))
    , m_startRetry(tryAgainAction(this))
    , m_cards(new OfficialImagesView(logos, m_startPage))
    , m_status(new QLabel(this))
    , m_results(new QListView(this))
    , m_open(new QPushButton(QIcon::fromTheme(QStringLiteral("go-next")), tr("Open"), this))
    , m_pull(new QPushButton(QIcon::fromTheme(QStringLiteral("download")), tr("Pull…"), this))
    , m_copy(new QPushButton(
          QIcon::fromTheme(QStringLiteral("edit-copy")), tr("Copy pull command"), this))
{
    setObjectName(QStringLiteral("explorePage"));
    m_model->setObjectName(QStringLiteral("searchResultsModel"));
    m_officialImages->setObjectName(QStringLiteral("officialImagesModel"));
    setAccessibleName(tr("Explore Docker Hub"));
    m_officialImages->setPageSize(OfficialPageSize);

    setUpControls();
    setUpViews(logos);
    buildLayout();
    connectControls();
    connectModels();

    setFocusProxy(m_searchField);
    updateStartPlaceholder();
    updateStatus();
    updateActions();
}

void ExplorePage::setUpControls()
{
    m_searchField->setObjectName(QStringLiteral("searchField"));
    m_searchField->setPlaceholderText(tr("Search Docker Hub (Ctrl+F)"));
    m_searchField->setAccessibleName(tr("Search Docker Hub"));
    m_searchField->setClearButtonEnabled(true);
    QAction *find = m_searchField->addAction(QIcon::fromTheme(QStringLiteral("edit-find")),
                                             QLineEdit::LeadingPosition);
    find->setText(tr("Search now"));
    connect(find, &QAction::triggered, this, &ExplorePage::search);
    m_searchField->installEventFilter(this);

    m_official->setObjectName(QStringLiteral("officialFilter"));
    m_official->setAccessibleName(tr("Official images only"));
    m_official->setToolTip(tr("Docker Official Images, curated by Docker"));
    m_verified->setObjectName(QStringLiteral("verifiedFilter"));
    m_verified->setAccessibleName(tr("Verified publishers only"));
    m_verified->setToolTip(tr("Images from publishers Docker has verified"));
    m_openSource->setObjectName(QStringLiteral("openSourceFilter"));
    m_openSource->setAccessibleName(tr("Sponsored open source only"));
    m_openSource->setToolTip(tr("Images of open source projects Docker sponsors"));

    m_sort->setObjectName(QStringLiteral("sortCombo"));
    m_sort->setAccessibleName(tr("Sort results"));
    m_sort->addItem(tr("Best match"), int(HubSearchQuery::Sort::BestMatch));
    m_sort->addItem(tr("Most pulls"), int(HubSearchQuery::Sort::PullCount));
    m_sort->addItem(tr("Recently updated"), int(HubSearchQuery::Sort::Updated));

    m_notice->setAccessibleName(tr("Search error"));
    m_notice->setObjectName(QStringLiteral("noticeBar"));
    m_startMessage->setAccessibleName(tr("Official images error"));
    m_startMessage->setObjectName(QStringLiteral("startMessage"));
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setAccessibleName(tr("Search status"));
    m_status->setWordWrap(true);

    m_open->setObjectName(QStringLiteral("openButton"));
    m_open->setAccessibleName(tr("Open the selected repository"));
    m_pull->setObjectName(QStringLiteral("pullButton"));
    m_pull->setAccessibleName(tr("Pull a tag of the selected repository"));
    m_copy->setObjectName(QStringLiteral("copyPullCommandButton"));
    m_copy->setAccessibleName(tr("Copy the docker pull command of the selected repository"));
}

void ExplorePage::setUpViews(LogoCache *logos)
{
    m_cards->setObjectName(QStringLiteral("officialImages"));
    m_cards->setAccessibleName(tr("Official images"));
    m_cards->setModel(m_officialImages);

    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setAccessibleName(tr("Search results"));
    m_results->setModel(m_model);
    m_results->setItemDelegate(new SearchResultDelegate(logos, m_results));
    m_results->setUniformItemSizes(true);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_results->setContextMenuPolicy(Qt::CustomContextMenu);
    if (logos) {
        // A logo arrived: repaint the rows (the delegate asks the cache again).
        connect(logos, &LogoCache::logoReady, m_results->viewport(), qOverload<>(&QWidget::update));
    }
}

void ExplorePage::buildLayout()
{
    auto *sortLabel = new QLabel(tr("So&rt by:"), this);
    sortLabel->setBuddy(m_sort);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_official);
    filters->addWidget(m_verified);
    filters->addWidget(m_openSource);
    filters->addStretch(1);
    filters->addWidget(sortLabel);
    filters->addWidget(m_sort);

    auto *start = new QVBoxLayout(m_startPage);
    start->setContentsMargins(0, 0, 0, 0);
    start->addWidget(m_startMessage);
    start->addWidget(m_cards, 1);
    m_views->addWidget(m_startPage);
    m_views->addWidget(m_results);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_status, 1);
    actions->addWidget(m_open);
    actions->addWidget(m_pull);
    actions->addWidget(m_copy);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_searchField);
    layout->addLayout(filters);
    layout->addWidget(m_notice);
    layout->addWidget(m_views, 1);
    layout->addLayout(actions);
}

void ExplorePage::connectControls()
{
    // Search as you type, once typing pauses.
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &ExplorePage::search);
    connect(m_searchField, &QLineEdit::textChanged, this, &ExplorePage::scheduleSearch);
    connect(m_searchField, &QLineEdit::returnPressed, this, &ExplorePage::search);
    for (QCheckBox *box : {m_official, m_verified, m_openSource})
        connect(box, &QCheckBox::toggled, this, &ExplorePage::search);
    connect(m_sort, &QComboBox::currentIndexChanged, this, &ExplorePage::search);

    for (QListView *view : {static_cast<QListView *>(m_cards), m_results}) {
        connect(view, &QListView::activated, this, &ExplorePage::openCurrent);
        connect(view->selectionModel(),
                &QItemSelectionModel::currentChanged,
                this,
                &ExplorePage::updateActions);
        connect(view, &QListView::customContextMenuRequested, this, [this, view](QPoint pos) {
            showContextMenu(view, pos);
        });
    }
    connect(m_views, &QStackedWidget::currentChanged, this, &ExplorePage::updateActions);
    connect(m_open, &QPushButton::clicked, this, &ExplorePage::openCurrent);
    connect(m_pull, &QPushButton::clicked, this, &ExplorePage::pullCurrent);
    connect(m_copy, &QPushButton::clicked, this, &ExplorePage::copyPullCommand);
}

void ExplorePage::connectModels()
{
    connect(m_model, &SearchResultsModel::errorOccurred, this, &ExplorePage::showError);
    connect(m_model, &SearchResultsModel::errorChanged, this, [this] {
        if (!m_model->error())
            m_notice->clear();
    });
    connect(m_retry, &QAction::triggered, m_model, &SearchResultsModel::retry);
    connect(m_model, &SearchResultsModel::loadingChanged, this, &ExplorePage::updateStatus);
    connect(m_model, &SearchResultsModel::pageLoaded, this, &ExplorePage::updateStatus);
    connect(m_model, &SearchResultsModel::modelReset, this, &ExplorePage::updateActions);

    connect(
        m_officialImages, &SearchResultsModel::errorOccurred, this, &ExplorePage::showStartError);
    connect(m_officialImages, &SearchResultsModel::errorChanged, this, [this] {
        if (!m_officialImages->error())
            m_startMessage->clear();
        updateStartPlaceholder();
    });
    connect(m_startRetry, &QAction::triggered, m_officialImages, &SearchResultsModel::retry);
    connect(m_officialImages, &SearchResultsModel::loadingChanged, this, [this] {
        updateStartPlaceholder();
        updateStatus();
    });
    connect(m_officialImages, &SearchResultsModel::pageLoaded, this, &ExplorePage::updateStatus);
}

void ExplorePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The start page asks the Hub once it is seen, not when the window is built.
    if (isShowingOfficialImages())
        loadOfficialImages();
}

bool ExplorePage::isShowingOfficialImages() const
{
    return m_views->currentWidget() == m_startPage;
}

void ExplorePage::loadOfficialImages()
{
    if (m_officialImages->hasQuery())
        return;
    HubSearchQuery query;
    query.official = true;
    query.sort = HubSearchQuery::Sort::PullCount;
    m_officialImages->setQuery(query);
}

HubSearchQuery ExplorePage::currentQuery() const
{
    HubSearchQuery query;
    query.text = m_searchField->text().trimmed();
    query.official = m_official->isChecked();
    query.verifiedPublisher = m_verified->isChecked();
    query.openSource = m_openSource->isChecked();
    query.sort = HubSearchQuery::Sort(m_sort->currentData().toInt());
    return query;
}

void ExplorePage::scheduleSearch()
{
    // The list or the cards show at once; a request waits for typing to pause. Back to the
    // start page needs none (its cards are kept).
    const HubSearchQuery query = currentQuery();
    if (isStartQuery(query))
        return search();
    showViewFor(query);
    updateStatus();
    updateActions();
    // The connection opens while the user types; the search goes out on it after the pause.
    if (!m_debounce->isActive() && m_hub)
        m_hub->preconnect();
    m_debounce->start();
}

bool ExplorePage::isStartQuery(const HubSearchQuery &query)
{
    return query.text.isEmpty() && !query.official && !query.verifiedPublisher && !query.openSource;
}

void ExplorePage::showViewFor(const HubSearchQuery &query)
{
    m_views->setCurrentWidget(isStartQuery(query) ? m_startPage
                                                  : static_cast<QWidget *>(m_results));
}

void ExplorePage::search()
{
    m_debounce->stop();
    const HubSearchQuery query = currentQuery();
    // Nothing typed and no filter: the start page (a filter alone browses its badge).
    showViewFor(query);
    if (isStartQuery(query)) {
        m_model->clear();
        loadOfficialImages();
    } else {
        const HubSearchQuery shown = m_model->query();
        // Enter after the timer already searched for the same words: keep what is there.
        const bool same = m_model->hasQuery() && !m_model->error() && shown.text == query.text
                          && shown.official == query.official
                          && shown.verifiedPublisher == query.verifiedPublisher
                          && shown.openSource == query.openSource && shown.sort == query.sort;
        if (!same)
            m_model->setQuery(query);
    }
    updateStatus();
}

void ExplorePage::focusSearch()
{
    m_searchField->setFocus(Qt::ShortcutFocusReason);
    m_searchField->selectAll();
}

void ExplorePage::showError(const Error &error)
{
    m_notice->showError(error.message, hubAdvice(error), {m_retry});
    updateStatus();
}

void ExplorePage::showStartError(const Error &error)
{
    m_startMessage->showError(
        tr("Could not get the official images from Docker Hub: %1.").arg(error.message),
        hubAdvice(error),
        {m_startRetry});
    updateStartPlaceholder();
    updateStatus();
}

void ExplorePage::updateStartPlaceholder()
{
    if (m_officialImages->error()) {
        m_cards->setPlaceholder(QIcon::fromTheme(QStringLiteral("network-offline")),
                                tr("The official images show here once Docker Hub answers."));
    } else {
        m_cards->setPlaceholder(QIcon::fromTheme(QStringLiteral("download")),
                                tr("Loading the official images…"));
    }
}

void ExplorePage::updateStatus()
{
    QString text;
    if (isShowingOfficialImages()) {
        const qint64 total = m_officialImages->totalCount();
        if (m_officialImages->error() && m_officialImages->rowCount() == 0)
            text.clear();
        else if (total <= 0)
            text = tr("Type a name to search Docker Hub.");
        else
            text = tr("%Ln official images, most pulled first. Type a name to search Docker Hub.",
                      nullptr,
                      int(std::min<qint64>(total, INT_MAX)));
    } else if (!m_model->hasQuery() || (m_model->isLoading() && m_model->rowCount() == 0)) {
        text = tr("Searching…");
    } else if (m_model->error() && m_model->rowCount() == 0) {
        text.clear();
    } else if (m_model->totalCount() == 0 || (m_model->rowCount() == 0 && !m_model->isLoading())) {
        const QString words = m_model->query().text;
        text = words.isEmpty() ? tr("No repository matches these filters.")
                               : tr("No repository matches “%1”.").arg(words);
    } else {
        text = tr(
            "%Ln repositories", nullptr, int(std::min<qint64>(m_model->totalCount(), INT_MAX)));
    }
    m_status->setText(text);
}

QListView *ExplorePage::currentView() const
{
    return isShowingOfficialImages() ? static_cast<QListView *>(m_cards) : m_results;
}

void ExplorePage::updateActions()
{
    const bool hasCurrent = currentView()->currentIndex().isValid();
    m_open->setEnabled(hasCurrent);
    m_pull->setEnabled(hasCurrent);
    m_copy->setEnabled(hasCurrent);
}

QString ExplorePage::currentName() const
{
    return currentView()->currentIndex().data(SearchResultsModel::NameRole).toString();
}

void ExplorePage::openCurrent()
{
    const QString name = currentName();
    if (!name.isEmpty())
        emit repositoryRequested(name);
}

void ExplorePage::setPullLimits(RegistryTransport *transport)
{
    m_pullLimits = transport;
}

void ExplorePage::pullCurrent()
{
    const QModelIndex index = currentView()->currentIndex();
    if (!index.isValid())
        return;
    const auto *model = static_cast<const SearchResultsModel *>(index.model());
    const HubRepositorySummary repository = model->summary(index.row());
    auto *dialog = new PullDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setRepository(repository.name);
    dialog->setBackend(m_transfers ? m_transfers->backend() : nullptr);
    dialog->setPullLimits(m_pullLimits);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const auto reference = dialog->reference())
            emit pullRequested(*reference, dialog->request());
    });
    listTags(dialog, repository);
    dialog->open();
}

void ExplorePage::listTags(PullDialog *dialog, const HubRepositorySummary &repository)
{
    if (!m_hub) {
        dialog->setTagsFailed(Error::make(Error::Kind::Network, tr("Docker Hub is not available")));
        return;
    }
    QPointer<PullDialog> target(dialog);
    m_hub->recentTags(repository.namespaceName,
                      repository.repositoryName,
                      PullTagChoices,
                      [target](Result<QList<TagInfo>> tags) {
                          if (!target)
                              return;
                          if (tags)
                              target->setTags(*tags);
                          else
                              target->setTagsFailed(tags.error());
                      });
}

void ExplorePage::copyPullCommand()
{
    const QString name = currentName();
    if (!name.isEmpty())
        QGuiApplication::clipboard()->setText(u"docker pull " + name);
}

void ExplorePage::showContextMenu(QListView *view, const QPoint &pos)
{
    QPoint at = pos;
    if (!view->indexAt(at).isValid()) {
        // The menu key, or a click beside the cards: the menu of the current one, if any.
        if (!view->currentIndex().isValid())
            return;
        at = view->visualRect(view->currentIndex()).center();
    }
    QMenu menu(this);
    menu.addAction(
        QIcon::fromTheme(QStringLiteral("go-next")), tr("Open"), this, &ExplorePage::openCurrent);
    menu.addAction(
        QIcon::fromTheme(QStringLiteral("download")), tr("Pull…"), this, &ExplorePage::pullCurrent);
    menu.addAction(QIcon::fromTheme(QStringLiteral("edit-copy")),
                   tr("Copy pull command"),
                   this,
                   &ExplorePage::copyPullCommand);
    menu.exec(view->viewport()->mapToGlobal(at));
}

bool ExplorePage::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    QListView *view = currentView();
    // Down from the search box goes to the results or cards, so the keyboard alone reaches
    // Enter.
    if (watched == m_searchField && key == Qt::Key_Down && view->model()->rowCount() > 0) {
        view->setFocus(Qt::TabFocusReason);
        if (!view->currentIndex().isValid())
            view->setCurrentIndex(view->model()->index(0, 0));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Berth
