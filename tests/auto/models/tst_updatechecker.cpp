// The update checker (models/updatechecker) and the update roles of the local images model over a
// real EmbeddedBackend and the plain registry of the test services: a check on demand, the state
// of image and tag rows, the recheck after a pull, the background timer on and off; a
// QAbstractItemModelTester throughout.

#include "asynctest.h"
#include "movingtag.h"
#include "testhelpers.h"

#include "localimagesmodel.h"
#include "updatechecker.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class tst_UpdateChecker final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void checkOnDemandFillsTheRoles();
    void pullMakesItUpToDate();
    void backgroundCheckFollowsTheSetting();

private:
    void pull(const QString &reference);
    void refresh();
    UpdateState stateOf(const QModelIndex &index) const
    {
        return UpdateState(index.data(LocalImagesModel::UpdateStateRole).toInt());
    }

    QString m_repository;
    QString m_name; // the moved tag, as the backend lists it
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<UpdateChecker> m_checker;
    std::unique_ptr<LocalImagesModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_UpdateChecker::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());
    m_checker = std::make_unique<UpdateChecker>(m_client.get());
    m_checker->setBackend(m_backend.get());
    m_model = std::make_unique<LocalImagesModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setBackend(m_backend.get());
    m_model->setUpdateChecker(m_checker.get());

    // busybox pulled under two tags of a repository of this test, then one tag moves on.
    m_repository = freshRepository(u"model"_s);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, m_repository + u":1.0"));
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, m_repository + u":stable"));
    m_name = plainRegistryHost() + u'/' + m_repository + u":1.0";
    pull(m_name);
    pull(plainRegistryHost() + u'/' + m_repository + u":stable");
    QVERIFY(copyInPlainRegistry(anotherImage().first, m_repository + u":1.0"));
    refresh();
}

void tst_UpdateChecker::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_checker.reset();
    m_backend.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

void tst_UpdateChecker::pull(const QString &reference)
{
    auto pulled = await<PullResult>(
        [&](auto done) { m_backend->pull(*ImageReference::parse(reference), {}, done); }, 300000);
    VERIFY_OK(pulled);
}

void tst_UpdateChecker::refresh()
{
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_model->refresh();
    QVERIFY(refreshed.wait(60000));
}

void tst_UpdateChecker::checkOnDemandFillsTheRoles()
{
    const QModelIndex image = m_model->find(m_name).parent();
    QVERIFY(image.isValid()); // two tags on one image: the tag rows are its children
    QCOMPARE(stateOf(image), UpdateState::Unknown);

    QSignalSpy checked(m_checker.get(), &UpdateChecker::checked);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_checker->checkNow();
    QVERIFY(m_checker->isChecking());
    QVERIFY(checked.wait(60000));
    QCOMPARE(checked.first().first().toInt(), 1);
    QVERIFY(!changed.isEmpty());
    QVERIFY(!m_checker->isChecking());

    const QModelIndex moved = m_model->find(m_name);
    const QModelIndex stable
        = m_model->find(plainRegistryHost() + u'/' + m_repository + u":stable");
    QCOMPARE(stateOf(moved), UpdateState::UpdateAvailable);
    QCOMPARE(stateOf(stable), UpdateState::UpToDate);
    // The image row shows its most telling tag's state, and lists the tag to update.
    QCOMPARE(stateOf(moved.parent()), UpdateState::UpdateAvailable);
    QCOMPARE(moved.parent().data(LocalImagesModel::OutdatedTagsRole).toStringList(),
             QStringList{m_name});
    const QString text = moved.data(LocalImagesModel::UpdateTextRole).toString();
    QVERIFY2(text.contains(fixtureDigest(u"busybox"_s)) && text.contains(anotherImage().second),
             qPrintable(text));
    QCOMPARE(m_checker->outdated(), QStringList{m_name});
    QCOMPARE(moved.data(Qt::AccessibleTextRole).toString(), m_name + u", update available");
    QCOMPARE(stable.data(Qt::AccessibleTextRole).toString(), stable.data().toString());
    QCOMPARE(m_checker->lastChecked().isValid(), true);
}

void tst_UpdateChecker::pullMakesItUpToDate()
{
    QSignalSpy checked(m_checker.get(), &UpdateChecker::checked);
    m_checker->checkNow();
    QVERIFY(checked.wait(60000));
    QCOMPARE(stateOf(m_model->find(m_name)), UpdateState::UpdateAvailable);

    // The tag's new image comes down; only that tag is checked again.
    pull(m_name);
    m_checker->recheckChanged();
    QTRY_COMPARE_WITH_TIMEOUT(m_checker->status(m_name).state, UpdateState::UpToDate, 60000);
    refresh();
    QCOMPARE(stateOf(m_model->find(m_name)), UpdateState::UpToDate);
    QCOMPARE(m_checker->status(m_name).local.toString(), anotherImage().second);
    QVERIFY(m_checker->outdated().isEmpty());
}

void tst_UpdateChecker::backgroundCheckFollowsTheSetting()
{
    QSignalSpy checked(m_checker.get(), &UpdateChecker::checked);
    m_checker->setInterval(1h, 0ms);
    // Off (the default of a new checker): nothing planned.
    QVERIFY(!m_checker->isBackgroundEnabled());
    QVERIFY(!m_checker->nextBackgroundCheck());

    m_checker->setBackgroundEnabled(true);
    QVERIFY(m_checker->nextBackgroundCheck());
    QVERIFY(checked.wait(60000));
    QCOMPARE(stateOf(m_model->find(m_name)), UpdateState::UpdateAvailable);
    QVERIFY(m_checker->lastChecked().isValid());
    // Once an hour at most: the next background check is (about) an hour away.
    const auto next = m_checker->nextBackgroundCheck();
    QVERIFY(next);
    QVERIFY2(*next > 30min, qPrintable(QString::number(next->count())));

    m_checker->setBackgroundEnabled(false);
    QVERIFY(!m_checker->nextBackgroundCheck());
    QCOMPARE(checked.size(), 1);
}

QTEST_GUILESS_MAIN(tst_UpdateChecker)
#include "tst_updatechecker.moc"
