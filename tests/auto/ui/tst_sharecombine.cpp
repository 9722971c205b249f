// The share wizard's "Combine these images into one multi-platform image" driven through its
// widgets against the plain registry of the test services: two images pushed for two platforms,
// one checked on the images page (a local image by the registry name it was pushed under), one
// added by reference on the combine page, their platforms read from their configs; a third source
// for a platform already there is refused by name until removed; the push runs as a Transfers job
// and the registry then serves the index under the tag typed.

#include "asynctest.h"
#include "fakebackend.h"
#include "platformimage.h"
#include "testhelpers.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "inlinemessage.h"
#include "share/sharecombinepage.h"
#include "share/shareimagespage.h"
#include "share/shareprogresspage.h"
#include "sharewizard.h"
#include "transfermanager.h"

#include "credentials/credentialstore.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QTest>
#include <QTreeWidget>
#include <QUuid>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;

QString plainHost()
{
    return TestServices::instance().registry(u"plain"_s).host;
}

QStringList column(const QTreeWidget *tree, int column)
{
    QStringList texts;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        texts.append(tree->topLevelItem(i)->text(column));
    return texts;
}

} // namespace

class tst_ShareCombine final : public QObject
{
    Q_OBJECT

private slots:
    void combinesTwoPlatformsIntoOneImage();

private:
    void addByReference(ShareCombinePage *page, const QString &reference);
};

void tst_ShareCombine::addByReference(ShareCombinePage *page, const QString &reference)
{
    auto *edit = child<QLineEdit>(page, u"reference"_s);
    edit->setFocus();
    QTest::keyClicks(edit, reference);
    QTest::mouseClick(child<QPushButton>(page, u"add"_s), Qt::LeftButton);
    QVERIFY(edit->text().isEmpty());
}

void tst_ShareCombine::combinesTwoPlatformsIntoOneImage()
{
    QSettings().clear();
    QNetworkAccessManager network;
    CredentialStore credentials;
    RegistryClient client(&network);
    client.setCredentialProvider(&credentials);
    const QString repository = plainHost() + u"/manifest/ui-"_s
                               + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    const QString amd64 = repository + u":amd64"_s;
    const QString arm64 = repository + u":arm64"_s;
    const QString again = repository + u":amd64-again"_s;
    VERIFY_OK(pushPlatformImage(client, parseReference(amd64), u"linux/amd64"_s, true));
    VERIFY_OK(pushPlatformImage(client, parseReference(arm64), u"linux/arm64/v8"_s, true));
    VERIFY_OK(pushPlatformImage(client, parseReference(again), u"linux/amd64"_s, true));

    FakeBackend backend;
    backend.addImage(amd64);
    TransferManager transfers;
    transfers.setBackend(&backend);
    ShareWizard wizard({&transfers, &credentials, &client, nullptr}, {amd64});
    wizard.show();
    auto *images = child<ShareImagesPage>(&wizard, u"imagesPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(images->isLoaded(), Timeout);
    auto *combine = child<QRadioButton>(images, u"combine"_s);
    QTest::mouseClick(combine, Qt::LeftButton, {}, QPoint(6, combine->height() / 2));
    QCOMPARE(wizard.mode(), ShareWizard::Mode::Combine);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::CombinePageId));

    auto *page = child<ShareCombinePage>(&wizard, u"combinePage"_s);
    auto *sources = child<QTreeWidget>(page, u"sources"_s);
    addByReference(page, arm64);
    addByReference(page, again);
    QTRY_VERIFY_WITH_TIMEOUT(!page->isReading(), Timeout);
    QCOMPARE(column(sources, 0), (QStringList{amd64, arm64, again}));
    QCOMPARE(column(sources, 1),
             (QStringList{u"linux/amd64"_s, u"linux/arm64/v8"_s, u"linux/amd64"_s}));
    auto *target = child<QLineEdit>(page, u"target"_s);
    QTest::keyClicks(target, repository + u":1.0"_s);
    auto *message = child<InlineMessage>(page, u"message"_s);
    QVERIFY(!page->isComplete());
    QVERIFY2(message->text().contains(u"linux/amd64"_s) && message->text().contains(again),
             qPrintable(message->text()));

    sources->setCurrentItem(sources->topLevelItem(2));
    QTest::mouseClick(child<QPushButton>(page, u"remove"_s), Qt::LeftButton);
    QVERIFY(page->isComplete());
    QCOMPARE(wizard.combinedImage().mediaType(), QLatin1String(MediaType::DockerManifestList));
    const Digest expected = wizard.combinedImage().indexDigest();
    wizard.next();

    auto *progress = child<ShareProgressPage>(&wizard, u"progressPage"_s);
    QTRY_VERIFY_WITH_TIMEOUT(progress->isDone() || !progress->isRunning(), Timeout);
    QVERIFY2(progress->isDone(),
             qPrintable(progress->jobs().value(0) ? progress->jobs().value(0)->errorString()
                                                  : u"no job"_s));
    QCOMPARE(transfers.jobs().size(), 1);
    QCOMPARE(transfers.jobs().first()->kind(), TransferJob::Kind::Push);

    const auto served = await<ManifestResponse>(
        [&](auto done) { client.fetchManifest(parseReference(repository + u":1.0"_s), done); });
    VERIFY_OK(served);
    QCOMPARE(served->digest, expected);
    const auto index = parseImageIndex(served->body, served->mediaType);
    VERIFY_OK(index);
    QCOMPARE(index->platforms().size(), 2);
    QCOMPARE(index->platforms().at(1).toString(), u"linux/arm64/v8"_s);
}

QTEST_MAIN(tst_ShareCombine)
#include "tst_sharecombine.moc"
