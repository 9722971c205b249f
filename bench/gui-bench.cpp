// The GUI figures of docs/PERFORMANCE.md, measured on the real window and models (Release build):
//
//   gui-bench hub-tags [--tags 10000] [--runs 5]
//       A fake Hub on loopback (on a thread of its own, as a real Hub is another machine) serves
//       TAGS tags in pages of 100 (the Hub's largest). Each run opens the repository in the main
//       window, as the Explore page does, and times until every tag is grouped and the Tags view
//       has painted its rows. Prints the median and the parts.
//   gui-bench pull-stall --image REGISTRY/REPO:TAG [--runs 1]
//       The main window shown on a fresh embedded store; the app's TransferManager pulls IMAGE
//       (plain HTTP, loopback) while a 1 ms timer records the gaps between event-loop turns.
//       Prints the longest gap, the 99th percentile, the pull's time and MB/s, and the most CPU
//       time the GUI thread used within one gap: a long gap it hardly ran in is a wait for a core.
//   gui-bench files-scroll [--entries 100000] [--runs 3] [--steps 300]
//       The Files tab's tree (ImageFilesModel in a QTreeView set up as ImageFilesView sets up its
//       own) over an index of ENTRIES entries written by IndexWriter (folders of 100 files, as
//       contents-bench's "many" image), every folder expanded, then scrolled from the top to the
//       bottom in STEPS moves of the scroll bar, one every 16 ms (a thumb dragged down), while
//       the 1 ms timer records the event loop's gaps. Prints the longest gap, the 99th
//       percentile, the time expandAll() took and the most the GUI thread ran within one gap.
//
// All print one Markdown table row per figure on stdout and details on stderr; exit 0 when the
// work completed (the figures are not judged here: the targets live in the docs). They wait in a
// real event loop, as the application's exec() runs, never in QTest's sleeping one.
#include "fakehubserver.h"

#include "appservices.h"
#include "localimagesmodel.h"
#include "mainwindow.h"
#include "registriesmodel.h"
#include "repositorypage.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"
#include "transfermanager.h"

#include "imagefilesmodel.h"

#include "common/allocator.h"
#include "common/threadpriority.h"
#include "contents/contentsentry.h"
#include "contents/indexfile.h"
#include "reference/imagereference.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int PageSize = 100;
constexpr int TagsPerImage = 4;

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t at = std::min(values.size() - 1, size_t(p / 100.0 * double(values.size())));
    return values[at];
}

QString fakeDigest(const QString &key)
{
    return u"sha256:"_s
           + QString::fromLatin1(
               QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// The Hub's v2 tags pages of a repository with `total` tags, like library/node's (five platforms
// per tag, every field the Hub sends). Four tags share each image and land on different pages,
// so grouping has to look across all of them.
QList<QByteArray> hubTagPages(const QString &repository, int total)
{
    static const QList<std::pair<QString, QString>> platforms = {
        {u"amd64"_s, QString()},
        {u"arm64"_s, u"v8"_s},
        {u"arm"_s, u"v7"_s},
        {u"ppc64le"_s, QString()},
        {u"s390x"_s, QString()},
    };
    const int images = std::max(1, total / TagsPerImage);
    const QDateTime base(QDate(2024, 5, 14), QTime(2, 7, 33), Qt::UTC);
    const int pageCount = (total + PageSize - 1) / PageSize;
    QList<QByteArray> pages;
    for (int page = 1; page <= pageCount; ++page) {
        QJsonArray results;
        for (int i = (page - 1) * PageSize; i < std::min(total, page * PageSize); ++i) {
            const int image = i % images;
            const QString key = u"%1-image-%2"_s.arg(repository).arg(image);
            const QDateTime pushed = base.addSecs(-qint64(image) * 3600);
            QJsonArray platformImages;
            for (qsizetype p = 0; p < platforms.size(); ++p) {
                platformImages.append(QJsonObject{
                    {u"architecture"_s, platforms.at(p).first},
                    {u"variant"_s,
                     platforms.at(p).second.isEmpty() ? QJsonValue()
                                                      : QJsonValue(platforms.at(p).second)},
                    {u"digest"_s, fakeDigest(key + u'/' + platforms.at(p).first)},
                    {u"os"_s, u"linux"_s},
                    {u"features"_s, QString()},
                    {u"os_features"_s, QString()},
                    {u"os_version"_s, QJsonValue()},
                    {u"size"_s, 40'000'000 + 1'000'003 * p + image},
                    {u"status"_s, u"active"_s},
                    {u"last_pulled"_s, pushed.addDays(3).toString(Qt::ISODateWithMs)},
                    {u"last_pushed"_s, pushed.toString(Qt::ISODateWithMs)},
                });
            }
            const QString name
                = u"%1.%2.%3-v%4"_s.arg(image / 100).arg(image % 100).arg(i / images).arg(i);
            results.append(QJsonObject{
                {u"creator"_s, 7},
                {u"id"_s, 1'000'000 + i},
                {u"images"_s, platformImages},
                {u"last_updated"_s, pushed.toString(Qt::ISODateWithMs)},
                {u"last_updater"_s, 1156886},
                {u"last_updater_username"_s, u"bench"_s},
                {u"name"_s, name},
                {u"repository"_s, 21090},
                {u"full_size"_s, 44'000'000 + image},
                {u"v2"_s, true},
                {u"tag_status"_s, u"active"_s},
                {u"tag_last_pulled"_s, pushed.addDays(3).toString(Qt::ISODateWithMs)},
                {u"tag_last_pushed"_s, pushed.toString(Qt::ISODateWithMs)},
                {u"media_type"_s, u"application/vnd.oci.image.index.v1+json"_s},
                {u"content_type"_s, u"image"_s},
                {u"digest"_s, fakeDigest(key)},
            });
        }
        const QString next
            = page < pageCount
                  ? u"https://hub.docker.com/v2/namespaces/library/repositories/%1/tags?page=%2&page_size=%3"_s
                        .arg(repository)
                        .arg(page + 1)
                        .arg(PageSize)
                  : QString();
        pages.append(QJsonDocument(QJsonObject{
                                       {u"count"_s, total},
                                       {u"next"_s, next.isEmpty() ? QJsonValue() : next},
                                       {u"previous"_s, QJsonValue()},
                                       {u"results"_s, results},
                                   })
                         .toJson(QJsonDocument::Compact));
    }
    return pages;
}

QByteArray hubRepository(const QString &name)
{
    return QJsonDocument(QJsonObject{
                             {u"user"_s, u"library"_s},
                             {u"name"_s, name},
                             {u"namespace"_s, u"library"_s},
                             {u"repository_type"_s, u"image"_s},
                             {u"status"_s, 1},
                             {u"description"_s, u"A repository with many tags, for the bench."_s},
                             {u"is_private"_s, false},
                             {u"star_count"_s, 12},
                             {u"pull_count"_s, 123456},
                             {u"last_updated"_s, u"2024-05-14T02:07:33.123456Z"_s},
                             {u"full_description"_s, u"# %1\n\nMany tags.\n"_s.arg(name)},
                         })
        .toJson(QJsonDocument::Compact);
}

// Waits for `predicate` in a real event loop, as the application's exec() runs: it looks each time
// the loop is about to sleep or has woken, for whatever makes it true arrives as an event.
// QTest::qWaitFor and qWait will not do for a figure: they sleep 10 ms between their passes over
// the event loop, which the figures would count as delays and stalls of the window itself.
bool waitFor(const std::function<bool()> &predicate, int timeoutMs)
{
    if (predicate())
        return true;
    QEventLoop loop;
    const auto check = [&] {
        if (predicate())
            loop.quit();
    };
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, &loop, check);
    QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, &loop, check);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return predicate();
}

// Runs the event loop for `ms`, without qWait's sleeps.
void spin(int ms)
{
    (void)waitFor([] { return false; }, ms);
}

// Paint events of a widget, timed.
class PaintWatch final : public QObject
{
public:
    explicit PaintWatch(QWidget *widget) { widget->installEventFilter(this); }
    qint64 lastPaintNs = -1;
    int paints = 0;
    const QElapsedTimer *clock = nullptr;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && clock) {
            ++paints;
            lastPaintNs = clock->nsecsElapsed();
        }
        return false;
    }
};

// The fake Hub on a thread of its own, as a real Hub answers from another machine: on the GUI
// thread it would take turns with the client it serves and add its own work to the figure.
class HubThread final
{
public:
    HubThread()
        : m_server(new FakeHubServer)
    {}
    ~HubThread()
    {
        if (!m_thread.isRunning()) {
            delete m_server;
            return;
        }
        m_server->deleteLater(); // on its thread, as the thread finishes
        m_thread.quit();
        m_thread.wait();
    }
    // Routes are set before start(): afterwards the server is the thread's.
    FakeHubServer &server() { return *m_server; }
    bool start()
    {
        m_server->moveToThread(&m_thread);
        m_thread.start();
        bool listening = false;
        QMetaObject::invokeMethod(
            m_server,
            [this, &listening] { listening = m_server->listen(); },
            Qt::BlockingQueuedConnection);
        return listening;
    }
    QUrl url() const { return m_server->url(); }

private:
    QThread m_thread;
    FakeHubServer *m_server;
};

struct Window
{
    QTemporaryDir dir;
    HubThread hub;
    std::unique_ptr<AppServices> services;
    std::unique_ptr<MainWindow> window;

    bool open(const QStringList &insecureRegistries = {})
    {
        AppSettings settings;
        settings.backend = BackendChoice::Embedded;
        settings.storePath = dir.filePath(u"store"_s);
        settings.hubUrl = hub.url();
        services = std::make_unique<AppServices>(settings);
        for (const QString &registry : insecureRegistries)
            (void)services->registries()->addRegistry(registry, true);
        services->applySettings(settings, false);
        window = std::make_unique<MainWindow>(services.get());
        window->resize(1200, 760);
        window->show();
        services->openBackend(BackendChoice::Embedded);
        return QTest::qWaitForWindowExposed(window.get())
               && QTest::qWaitFor([&] { return services->backend() != nullptr; }, 30000);
    }
};

int hubTags(const QStringList &args)
{
    const int total = option(args, u"--tags"_s, u"10000"_s).toInt();
    const int runs = option(args, u"--runs"_s, u"5"_s).toInt();
    if (total <= 0 || runs <= 0)
        return 2;

    // One repository per run: nothing cached from the run before (the Hub client caches none,
    // but the page would skip a reload of the repository it shows).
    QList<QByteArray> pages;
    {
        QElapsedTimer made;
        made.start();
        pages = hubTagPages(u"bench"_s, total);
        qsizetype bytes = 0;
        for (const QByteArray &page : pages)
            bytes += page.size();
        std::fprintf(stderr,
                     "hub-tags: %d tags in %d pages, %.1f MB of JSON (made in %lld ms)\n",
                     total,
                     int(pages.size()),
                     double(bytes) / 1e6,
                     made.elapsed());
    }
    Window w;
    for (int run = 0; run < runs; ++run) {
        const QString name = u"bench%1"_s.arg(run);
        const QString base = u"/v2/namespaces/library/repositories/"_s + name;
        w.hub.server().route(base, FakeHubResponse::json(hubRepository(name)));
        w.hub.server().route(base + u"/tags"_s, [&pages](const FakeHubRequest &request) {
            const int page = request.queryItem(u"page"_s).toInt();
            if (page < 1 || page > pages.size())
                return FakeHubResponse::notFound();
            return FakeHubResponse::json(pages.at(page - 1));
        });
    }
    if (!w.hub.start() || !w.open())
        return 1;

    // Found by the object names the window gives them, once, outside the timed runs.
    auto *page = w.window->findChild<RepositoryPage *>(u"repositoryPage"_s);
    auto *tags = page ? page->findChild<TagGroupsModel *>(u"tagGroupsModel"_s) : nullptr;
    auto *tree = page ? page->findChild<QTreeView *>(u"tagTree"_s) : nullptr;
    if (!tags || !tree) {
        std::fprintf(stderr, "hub-tags: the repository page has no tag list\n");
        return 1;
    }
    QElapsedTimer clock;
    PaintWatch paints(tree->viewport());
    paints.clock = &clock;
    std::vector<double> totals, fetches, groupings, shows;
    for (int run = 0; run < runs; ++run) {
        qint64 firstProgressNs = -1, loadedNs = -1, resetNs = -1;
        QMetaObject::Connection c1
            = QObject::connect(tags, &TagGroupsModel::progressChanged, [&](int, int) {
                  if (firstProgressNs < 0)
                      firstProgressNs = clock.nsecsElapsed();
              });
        QMetaObject::Connection c2 = QObject::connect(tags,
                                                      &QAbstractItemModel::modelAboutToBeReset,
                                                      [&] { resetNs = clock.nsecsElapsed(); });
        QMetaObject::Connection c3 = QObject::connect(
            tags, &TagGroupsModel::loaded, [&] { loadedNs = clock.nsecsElapsed(); });
        paints.lastPaintNs = -1;
        clock.start();
        // As the Explore page asks, then the user looks at the Tags tab.
        w.window->openRepository(u"bench%1"_s.arg(run));
        if (auto *tabs = page->findChild<QTabWidget *>())
            tabs->setCurrentIndex(1);
        const bool shown = waitFor(
            [&] {
                return loadedNs >= 0 && paints.lastPaintNs > loadedNs && tags->tagCount() == total;
            },
            60000);
        QObject::disconnect(c1);
        QObject::disconnect(c2);
        QObject::disconnect(c3);
        if (!shown || tree->model()->rowCount() != tags->groupCount()) {
            std::fprintf(stderr,
                         "hub-tags: run %d: not all tags were shown (%d of %d)\n",
                         run,
                         tags->tagCount(),
                         total);
            return 1;
        }
        const double ms = double(paints.lastPaintNs) / 1e6;
        totals.push_back(ms);
        fetches.push_back(double(resetNs) / 1e6);
        groupings.push_back(double(loadedNs - resetNs) / 1e6);
        shows.push_back(double(paints.lastPaintNs - loadedNs) / 1e6);
        std::fprintf(stderr,
                     "hub-tags: run %d: %.0f ms (first page %.0f, all pages and grouping %.0f, "
                     "model reset %.1f, first paint after %.1f); %d images\n",
                     run,
                     ms,
                     double(firstProgressNs) / 1e6,
                     double(resetNs) / 1e6,
                     double(loadedNs - resetNs) / 1e6,
                     double(paints.lastPaintNs - loadedNs) / 1e6,
                     tags->groupCount());
    }
    std::printf("| Hub tags, %d tags in %d pages, fake Hub on loopback | %d runs | median %.0f ms "
                "(fetch and group %.0f, model reset %.1f, paint %.1f); max %.0f ms |\n",
                total,
                (total + PageSize - 1) / PageSize,
                runs,
                median(totals),
                median(fetches),
                median(groupings),
                median(shows),
                *std::max_element(totals.begin(), totals.end()));
    return 0;
}

// CPU time of the calling thread.
qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The gaps between turns of the event loop, from a 1 ms timer, and how much of each the GUI
// thread spent running: a long gap it mostly spent waiting for a CPU is contention with the
// other threads (transfers, the registry), not work on the GUI thread.
class StallMonitor final : public QObject
{
public:
    StallMonitor()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            const double gapMs = double(now - m_last) / 1e6;
            const double ranMs = double(cpu - m_lastCpu) / 1e6;
            m_gapsMs.push_back(gapMs);
            m_maxRanMs = std::max(m_maxRanMs, ranMs);
            if (gapMs > m_reportOverMs)
                std::fprintf(stderr,
                             "%s:   gap of %.1f ms at %.3f s (GUI thread ran %.1f ms)\n",
                             m_name,
                             gapMs,
                             double(now) / 1e9,
                             ranMs);
            m_last = now;
            m_lastCpu = cpu;
        });
    }
    void start(double reportOverMs, const char *name)
    {
        m_name = name;
        m_reportOverMs = reportOverMs;
        m_gapsMs.clear();
        m_maxRanMs = 0;
        m_clock.start();
        m_last = 0;
        m_lastCpu = threadCpuNs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    const std::vector<double> &gaps() const { return m_gapsMs; }
    // The most CPU time the GUI thread used within one gap.
    double maxRanMs() const { return m_maxRanMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    double m_reportOverMs = 1e9;
    const char *m_name = "";
    double m_maxRanMs = 0;
    std::vector<double> m_gapsMs;
};

int pullStall(const QStringList &args)
{
    const QString image = option(args, u"--image"_s, QString());
    const int runs = option(args, u"--runs"_s, u"1"_s).toInt();
    const double reportOver = option(args, u"--report-over"_s, u"50"_s).toDouble();
    const auto reference = ImageReference::parse(image);
    if (!reference || runs <= 0) {
        std::fprintf(stderr, "pull-stall: --image REGISTRY/REPO:TAG is required\n");
        return 2;
    }
    std::vector<double> maxima, p99s, seconds, rates, ran;
    qint64 bytes = 0;
    for (int run = 0; run < runs; ++run) {
        Window w; // a fresh store each run: every byte is pulled
        if (!w.hub.start() || !w.open({reference->domain()}))
            return 1;
        w.window->showPage(MainWindow::Page::Images);
        spin(200); // the window settles (first paints, backend's first listing)
        StallMonitor monitor;
        QElapsedTimer clock;
        clock.start();
        monitor.start(reportOver, "pull-stall");
        TransferJob *job = w.services->transfers()->pull(*reference);
        const bool finished = waitFor([&] { return job->isFinished(); }, 600000);
        const double elapsed = double(clock.nsecsElapsed()) / 1e9;
        // The Images page lists the new image after the job: part of the pull, as the user sees.
        spin(100);
        monitor.stop();
        if (!finished || job->state() != TransferJob::State::Done) {
            std::fprintf(stderr,
                         "pull-stall: the pull did not succeed: %s\n",
                         qPrintable(job->statusText()));
            return 1;
        }
        bytes = job->total() > 0 ? job->total() : job->current();
        const auto &gaps = monitor.gaps();
        const double worst = *std::max_element(gaps.begin(), gaps.end());
        const double p99 = percentile(gaps, 99);
        maxima.push_back(worst);
        p99s.push_back(p99);
        seconds.push_back(elapsed);
        rates.push_back(double(bytes) / elapsed / 1e6);
        ran.push_back(monitor.maxRanMs());
        std::fprintf(stderr,
                     "pull-stall: run %d: %.2f s, %.0f MB/s, %zu turns, gap max %.1f ms, p99 %.1f "
                     "ms, median %.2f ms; the GUI thread ran at most %.1f ms in a gap\n",
                     run,
                     elapsed,
                     double(bytes) / elapsed / 1e6,
                     gaps.size(),
                     worst,
                     p99,
                     median(gaps),
                     monitor.maxRanMs());
    }
    std::printf(
        "| event-loop stall during a %.0f MB pull (embedded store, window shown) | %d runs | "
        "max %.1f ms, p99 %.1f ms | pull %.2f s, %.0f MB/s; the GUI thread ran at most %.1f ms "
        "in one gap |\n",
        double(bytes) / 1e6,
        runs,
        *std::max_element(maxima.begin(), maxima.end()),
        median(p99s),
        median(seconds),
        median(rates),
        *std::max_element(ran.begin(), ran.end()));
    return 0;
}

// An image tree of `entries` entries: folders many/dNNNN of 100 files each, sizes and layers
// spread, written and sorted by the real IndexWriter.
std::shared_ptr<const IndexFile> writeFilesIndex(const QString &path, int entries)
{
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
    if (!writer)
        return {};
    const int files = entries * 100 / 101;
    for (int i = 0; i < files; ++i) {
        ContentsEntry entry;
        if (i % 100 == 0) {
            entry.path = "many/d" + QByteArray::number(i / 100).rightJustified(4, '0');
            entry.type = ContentsEntry::Type::Directory;
            entry.mode = 0755;
            if (!(*writer)->add(entry))
                return {};
        }
        entry.path = "many/d" + QByteArray::number(i / 100).rightJustified(4, '0') + "/f"
                     + QByteArray::number(i).rightJustified(6, '0');
        entry.type = ContentsEntry::Type::File;
        entry.mode = 0644;
        entry.size = (i * 7919) % 100000;
        entry.layer = quint16(i % 4);
        entry.change = ContentsEntry::Change::Added;
        if (!(*writer)->add(entry))
            return {};
    }
    if (!(*writer)->finish({}))
        return {};
    auto opened = IndexFile::open(path);
    return opened ? std::make_shared<const IndexFile>(std::move(*opened)) : nullptr;
}

// The Files tab's tree view as ImageFilesView sets it up.
void setUpFilesTree(QTreeView &view, ImageFilesModel &model)
{
    view.setModel(&model);
    view.setUniformRowHeights(true);
    view.setSelectionMode(QAbstractItemView::SingleSelection);
    view.setEditTriggers(QAbstractItemView::NoEditTriggers);
    view.setAllColumnsShowFocus(true);
    view.header()->setStretchLastSection(false);
    view.header()->setSectionResizeMode(ImageFilesModel::NameColumn, QHeaderView::Stretch);
    view.header()->resizeSection(ImageFilesModel::SizeColumn, 90);
    view.header()->resizeSection(ImageFilesModel::ModeColumn, 100);
    view.header()->resizeSection(ImageFilesModel::OwnerColumn, 80);
    view.header()->resizeSection(ImageFilesModel::LayerColumn, 50);
    view.resize(1000, 700);
}

struct ScrollRun
{
    double worstMs = 0;
    double p99Ms = 0;
    double expandMs = 0;
    double ranMs = 0;
    int rows = 0;
};

// Scrolls the shown, expanded view from top to bottom in `steps` moves, one every 16 ms.
void scrollThrough(QTreeView &view, int steps)
{
    QScrollBar *bar = view.verticalScrollBar();
    int step = 0;
    QTimer ticks;
    ticks.setInterval(16);
    QObject::connect(&ticks, &QTimer::timeout, &view, [&] {
        bar->setValue(int(qint64(bar->maximum()) * ++step / steps));
    });
    bar->setValue(0);
    ticks.start();
    waitFor([&] { return step >= steps; }, 600000);
    ticks.stop();
    spin(50); // the last paint
}

std::optional<ScrollRun>
filesScrollOnce(const std::shared_ptr<const IndexFile> &tree, int steps, double reportOver)
{
    ImageFilesModel model;
    QTreeView view;
    setUpFilesTree(view, model);
    model.setTree(tree);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return std::nullopt;
    spin(100);
    ScrollRun run;
    QElapsedTimer clock;
    clock.start();
    view.expandAll();
    run.expandMs = double(clock.nsecsElapsed()) / 1e6;
    spin(100);
    StallMonitor monitor;
    monitor.start(reportOver, "files-scroll");
    scrollThrough(view, steps);
    monitor.stop();
    const auto &gaps = monitor.gaps();
    if (gaps.empty() || view.verticalScrollBar()->value() != view.verticalScrollBar()->maximum())
        return std::nullopt;
    run.worstMs = *std::max_element(gaps.begin(), gaps.end());
    run.p99Ms = percentile(gaps, 99);
    run.ranMs = monitor.maxRanMs();
    run.rows = view.verticalScrollBar()->maximum();
    return run;
}

int filesScroll(const QStringList &args)
{
    const int entries = option(args, u"--entries"_s, u"100000"_s).toInt();
    const int runs = option(args, u"--runs"_s, u"3"_s).toInt();
    const int steps = option(args, u"--steps"_s, u"300"_s).toInt();
    const double reportOver = option(args, u"--report-over"_s, u"50"_s).toDouble();
    QTemporaryDir dir;
    const auto tree = writeFilesIndex(dir.filePath(u"tree.index"_s), entries);
    if (!tree || runs <= 0 || steps <= 0) {
        std::fprintf(stderr, "files-scroll: could not write the index (or bad arguments)\n");
        return 1;
    }
    std::vector<double> worst, p99s, expands, ran;
    for (int i = 0; i < runs; ++i) {
        const auto run = filesScrollOnce(tree, steps, reportOver);
        if (!run) {
            std::fprintf(stderr, "files-scroll: the view did not show or scroll to the end\n");
            return 1;
        }
        std::fprintf(stderr,
                     "files-scroll: run %d: %lld entries, scroll range %d, gap max %.1f ms, p99 "
                     "%.1f ms, expandAll %.1f ms; the GUI thread ran at most %.1f ms in a gap\n",
                     i,
                     qlonglong(tree->count()),
                     run->rows,
                     run->worstMs,
                     run->p99Ms,
                     run->expandMs,
                     run->ranMs);
        worst.push_back(run->worstMs);
        p99s.push_back(run->p99Ms);
        expands.push_back(run->expandMs);
        ran.push_back(run->ranMs);
    }
    std::printf("| Files tab: a %lld-entry tree, every folder expanded, scrolled top to bottom in "
                "%d steps of 16 ms | %d runs | max %.1f ms, p99 %.1f ms | expandAll() %.0f ms "
                "(median); the GUI thread ran at most %.1f ms in one gap |\n",
                qlonglong(tree->count()),
                steps,
                runs,
                *std::max_element(worst.begin(), worst.end()),
                median(p99s),
                median(expands),
                *std::max_element(ran.begin(), ran.end()));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // As the application's main() does: the figures are the application's.
    Berth::tuneAllocatorForTransfers();
    Berth::setTransfersYieldToMainThread(true);
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Berth"_s);
    QApplication::setOrganizationName(u"Berth"_s);
    // Settings, registries and caches in a test location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    const QStringList args = QApplication::arguments();
    const QString command = args.value(1);
    if (command == u"hub-tags")
        return hubTags(args);
    if (command == u"pull-stall")
        return pullStall(args);
    if (command == u"files-scroll")
        return filesScroll(args);
    std::fprintf(stderr,
                 "usage: gui-bench hub-tags [--tags N] [--runs N]\n"
                 "       gui-bench pull-stall --image REGISTRY/REPO:TAG [--runs N] "
                 "[--report-over MS]\n"
                 "       gui-bench files-scroll [--entries N] [--runs N] [--steps N]\n");
    return 2;
}
