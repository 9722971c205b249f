#include "explorepage.h"

#include "erroradvice.h"
#include "inlinemessage.h"
#include "logocache.h"
#include "searchresultdelegate.h"
#include "searchresultsmodel.h"

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
#include <QTimer>
#include <QVBoxLayout>

#include <climits>

namespace Berth {

ExplorePage::ExplorePage(HubClient *hub, LogoCache *logos, QWidget *parent)
    : QWidget(parent)
    , m_model(new SearchResultsModel(hub, this))
    , m_debounce(new QTimer(this))
    , m_searchField(new QLineEdit(this))
    , m_official(new QCheckBox(tr("&Official"), this))
    , m_verified(new QCheckBox(tr("&Verified publisher"), this))
    , m_openSource(new QCheckBox(tr("Open &source"), this))
    , m_sort(new QComboBox(this))
    , m_notice(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_status(new QLabel(this))
    , m_results(new QListView(this))
    , m_open(new QPushButton(tr("Open"), this))
    , m_pull(new QPushButton(tr("Pull"), this))
    , m_copy(new QPushButton(tr("Copy pull command"), this))
{
    setObjectName(QStringLiteral("explorePage"));
    setAccessibleName(tr("Explore Docker Hub"));

    m_searchField->setObjectName(QStringLiteral("searchField"));
    m_searchField->setPlaceholderText(tr("Search Docker Hub (Ctrl+F)"));
    m_searchField->setAccessibleName(tr("Search Docker Hub"));
    m_searchField->setClearButtonEnabled(true);
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
    auto *sortLabel = new QLabel(tr("So&rt by:"), this);
    sortLabel->setBuddy(m_sort);

    m_notice->setAccessibleName(tr("Search error"));
    m_notice->setObjectName(QStringLiteral("noticeBar"));
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setAccessibleName(tr("Search status"));
    m_status->setWordWrap(true);

    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setAccessibleName(tr("Search results"));
    m_results->setModel(m_model);
    m_results->setItemDelegate(new SearchResultDelegate(logos, m_results));
    m_results->setUniformItemSizes(true);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_results->setContextMenuPolicy(Qt::CustomContextMenu);

    m_open->setObjectName(QStringLiteral("openButton"));
    m_open->setAccessibleName(tr("Open the selected repository"));
    m_pull->setObjectName(QStringLiteral("pullButton"));
    m_pull->setAccessibleName(tr("Pull the latest tag of the selected repository"));
    m_copy->setObjectName(QStringLiteral("copyPullCommandButton"));
    m_copy->setAccessibleName(tr("Copy the docker pull command of the selected repository"));

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_official);
    filters->addWidget(m_verified);
    filters->addWidget(m_openSource);
    filters->addStretch(1);
    filters->addWidget(sortLabel);
    filters->addWidget(m_sort);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_status, 1);
    actions->addWidget(m_open);
    actions->addWidget(m_pull);
    actions->addWidget(m_copy);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_searchField);
    layout->addLayout(filters);
    layout->addWidget(m_notice);
    layout->addWidget(m_results, 1);
    layout->addLayout(actions);

    // Search as you type, once typing pauses.
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &ExplorePage::search);
    connect(m_searchField, &QLineEdit::textChanged, this, &ExplorePage::scheduleSearch);
    connect(m_searchField, &QLineEdit::returnPressed, this, &ExplorePage::search);
    for (QCheckBox *box : {m_official, m_verified, m_openSource})
        connect(box, &QCheckBox::toggled, this, &ExplorePage::search);
    connect(m_sort, &QComboBox::currentIndexChanged, this, &ExplorePage::search);

    connect(m_results, &QListView::activated, this, &ExplorePage::openCurrent);
    connect(m_results->selectionModel(),
            &QItemSelectionModel::currentChanged,
            this,
            &ExplorePage::updateActions);
    connect(m_results, &QListView::customContextMenuRequested, this, [this](const QPoint &pos) {
        if (!m_results->indexAt(pos).isValid())
            return;
        QMenu menu(this);
        menu.addAction(tr("Open"), this, &ExplorePage::openCurrent);
        menu.addAction(tr("Pull"), this, &ExplorePage::pullCurrent);
        menu.addAction(tr("Copy pull command"), this, &ExplorePage::copyPullCommand);
        menu.exec(m_results->viewport()->mapToGlobal(pos));
    });
    connect(m_open, &QPushButton::clicked, this, &ExplorePage::openCurrent);
    connect(m_pull, &QPushButton::clicked, this, &ExplorePage::pullCurrent);
    connect(m_copy, &QPushButton::clicked, this, &ExplorePage::copyPullCommand);

    connect(m_model, &SearchResultsModel::errorOccurred, this, &ExplorePage::showError);
    connect(m_model, &SearchResultsModel::errorChanged, this, [this] {
        if (!m_model->error())
            m_notice->clear();
    });
    connect(m_retry, &QAction::triggered, m_model, &SearchResultsModel::retry);
    connect(m_model, &SearchResultsModel::loadingChanged, this, &ExplorePage::updateStatus);
    connect(m_model, &SearchResultsModel::pageLoaded, this, &ExplorePage::updateStatus);
    connect(m_model, &SearchResultsModel::modelReset, this, &ExplorePage::updateActions);
    if (logos) {
        // A logo arrived: repaint the rows (the delegate asks the cache again).
        connect(logos, &LogoCache::logoReady, m_results->viewport(), qOverload<>(&QWidget::update));
    }

    setFocusProxy(m_searchField);
    updateStatus();
    updateActions();
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
    m_debounce->start();
}

void ExplorePage::search()
{
    m_debounce->stop();
    const HubSearchQuery query = currentQuery();
    // Nothing typed and no filter: nothing to look for (a filter alone browses its badge).
    if (query.text.isEmpty() && !query.official && !query.verifiedPublisher && !query.openSource) {
        m_model->clear();
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

void ExplorePage::updateStatus()
{
    QString text;
    if (!m_model->hasQuery()) {
        text = tr("Type a name to search Docker Hub, or tick Official to browse the official "
                  "images.");
    } else if (m_model->isLoading() && m_model->rowCount() == 0) {
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

void ExplorePage::updateActions()
{
    const bool hasCurrent = m_results->currentIndex().isValid();
    m_open->setEnabled(hasCurrent);
    m_pull->setEnabled(hasCurrent);
    m_copy->setEnabled(hasCurrent);
}

QString ExplorePage::currentName() const
{
    return m_results->currentIndex().data(SearchResultsModel::NameRole).toString();
}

void ExplorePage::openCurrent()
{
    const QString name = currentName();
    if (!name.isEmpty())
        emit repositoryRequested(name);
}

void ExplorePage::pullCurrent()
{
    const auto reference = ImageReference::parse(currentName());
    if (reference)
        emit pullRequested(*reference, std::nullopt);
}

void ExplorePage::copyPullCommand()
{
    const QString name = currentName();
    if (!name.isEmpty())
        QGuiApplication::clipboard()->setText(u"docker pull " + name);
}

bool ExplorePage::eventFilter(QObject *watched, QEvent *event)
{
    // Down from the search box goes to the results, so the keyboard alone reaches Enter.
    if (watched == m_searchField && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_model->rowCount() > 0) {
        m_results->setFocus(Qt::TabFocusReason);
        if (!m_results->currentIndex().isValid())
            m_results->setCurrentIndex(m_model->index(0, 0));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Berth
