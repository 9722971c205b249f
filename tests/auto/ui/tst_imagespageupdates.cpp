// "Updates available" on the Images page (ui/imagespageupdates.cpp, ui/updatechipdelegate),
// headless, over a real EmbeddedBackend and the plain registry of the test services: Check for
// Updates shows the chip (with the digests in its tooltip) on the image whose tag moved, the
// Update action appears for it alone, and pulling through it makes the image up to date.

#include "asynctest.h"
#include "movingtag.h"
#include "testhelpers.h"
#include "uitesthelpers.h"

#include "imagespage.h"
#include "localimagesmodel.h"
#include "transfermanager.h"
#include "updatechecker.h"
#include "updatechipdelegate.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QAction>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 120000;
}

class tst_ImagesPageUpdates final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void chipThenUpdate();

private:
    QAction *action(const QString &name) const
    {
        return child<QAction>(m_page.get(), name + u"Action");
    }
    QTreeView *view() const { return child<QTreeView>(m_page.get(), u"imagesView"_s); }
    UpdateState stateOf(const QString &tag) const
    {
        return UpdateState(m_model->find(tag).data(LocalImagesModel::UpdateStateRole).toInt());
    }
    QRect chipOf(const QString &tag) const;

    QString m_current; // a tag that stays
    QString m_moving;  // a tag moved to another image after the pull
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<UpdateChecker> m_checker;
    std::unique_ptr<LocalImagesModel> m_model;
    std::unique_ptr<ImagesPage> m_page;
};

void tst_ImagesPageUpdates::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());

    // Two repositories: the digests a backend records are per repository, not per tag.
    const QString repository = freshRepository(u"page"_s);
    const QString steady = freshRepository(u"steady"_s);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, steady + u":current"));
    QVERIFY(copyInPlainRegistry(u"berth/multiarch:1.0"_s, repository + u":moving"));
    m_current = plainRegistryHost() + u'/' + steady + u":current";
    m_moving = plainRegistryHost() + u'/' + repository + u":moving";
    for (const QString &tag : {m_current, m_moving})
        VERIFY_OK(await<PullResult>(
            [&](auto done) { m_backend->pull(*ImageReference::parse(tag), {}, done); }, Timeout));
    QVERIFY(copyInPlainRegistry(anotherImage().first, repository + u":moving"));

    m_transfers = std::make_unique<TransferManager>();
    m_checker = std::make_unique<UpdateChecker>(m_client.get());
    m_model = std::make_unique<LocalImagesModel>();
    m_model->setUpdateChecker(m_checker.get());
    m_page = std::make_unique<ImagesPage>(m_model.get(), m_transfers.get());
    m_page->resize(1200, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_transfers->setBackend(m_backend.get());
    m_checker->setBackend(m_backend.get());
    QVERIFY(refreshed.wait(Timeout));
}

void tst_ImagesPageUpdates::cleanup()
{
    m_page.reset();
    m_model.reset();
    m_checker.reset();
    m_transfers.reset();
    m_backend.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

QRect tst_ImagesPageUpdates::chipOf(const QString &tag) const
{
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(view()->model());
    const QModelIndex index = proxy->mapFromSource(m_model->find(tag));
    QStyleOptionViewItem option;
    option.initFrom(view());
    option.rect = view()->visualRect(index);
    return UpdateChipDelegate::chipRect(option, index);
}

void tst_ImagesPageUpdates::chipThenUpdate()
{
    QVERIFY(qobject_cast<UpdateChipDelegate *>(
        view()->itemDelegateForColumn(LocalImagesModel::NameColumn)));
    QAction *check = action(u"checkforupdates"_s);
    QAction *update = action(u"update"_s);
    QVERIFY(!check->icon().isNull() || !check->text().isEmpty());
    QVERIFY(check->isEnabled());
    QVERIFY(!update->isVisible());

    // Before a check: no chip anywhere.
    QVERIFY(chipOf(m_moving).isNull());
    QSignalSpy checked(m_checker.get(), &UpdateChecker::checked);
    check->trigger();
    QVERIFY(checked.wait(Timeout));
    QCOMPARE(stateOf(m_moving), UpdateState::UpdateAvailable);
    QCOMPARE(stateOf(m_current), UpdateState::UpToDate);
    QVERIFY(!chipOf(m_moving).isNull());
    QVERIFY(chipOf(m_current).isNull());
    const QString tip = m_model->find(m_moving).data(LocalImagesModel::UpdateTextRole).toString();
    QVERIFY2(tip.contains(anotherImage().second) && tip.contains(fixtureDigest(u"multiarch"_s)),
             qPrintable(tip));

    // Update is offered for the outdated image only, in the toolbar and the context menu.
    QVERIFY(m_page->select(m_current));
    QVERIFY(!update->isVisible());
    QVERIFY(m_page->select(m_moving));
    QVERIFY(update->isVisible());
    QVERIFY(update->isEnabled());
    QVERIFY(view()->actions().contains(update));

    QSignalSpy finished(m_transfers.get(), &TransferManager::jobFinished);
    update->trigger();
    QCOMPARE(m_transfers->jobs().size(), 1);
    TransferJob *job = m_transfers->jobs().first();
    QCOMPARE(job->kind(), TransferJob::Kind::Pull);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_moving), UpdateState::UpToDate, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(chipOf(m_moving).isNull(), Timeout);
    QVERIFY(m_checker->outdated().isEmpty());
}

QTEST_MAIN(tst_ImagesPageUpdates)
#include "tst_imagespageupdates.moc"
