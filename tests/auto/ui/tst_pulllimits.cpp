// Pull limits in the GUI, headless, against the test services' pull-limit front: the status
// bar's indicator (hidden until an answer states a limit, then the numbers; a warning colour in
// light and dark when few are left) and the pull dialog's sentence on what pulling every platform
// costs.

#include "asynctest.h"
#include "pulllimitfixture.h"
#include "testhelpers.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "appearance.h"
#include "appservices.h"
#include "mainwindow.h"
#include "pulldialog.h"
#include "pulllimitindicator.h"

#include "registry/registryclient.h"
#include "registry/registrytags.h"

#include "common/localization.h"

#include <QCheckBox>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// A %n message as the widget words it: the English plural forms come from the translations the
// application installs, installed here too.
QString plural(const char *context, const char *source, int n)
{
    return QCoreApplication::translate(context, source, nullptr, n);
}

} // namespace

class tst_PullLimits final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("BERTH_STORE");
        QSettings().clear();
        installTranslations(QLocale(u"en"_s));
        m_front = PullLimitFront::instance();
        QVERIFY2(!m_front.host.isEmpty(), "services.json has no ratelimit front");
    }

    void isLow_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("remaining");
        QTest::addColumn<bool>("low");
        QTest::newRow("plenty") << 100 << 76 << false;
        QTest::newRow("a tenth") << 100 << 10 << true;
        QTest::newRow("just above a tenth") << 100 << 11 << false;
        QTest::newRow("none left") << 100 << 0 << true;
        QTest::newRow("no limit stated, few") << -1 << 10 << true;
        QTest::newRow("no limit stated, many") << -1 << 11 << false;
        QTest::newRow("no count stated") << 100 << -1 << false;
        QTest::newRow("huge limit") << 2147483647 << 214748364 << true;
    }

    void isLow()
    {
        QFETCH(int, limit);
        QFETCH(int, remaining);
        QFETCH(bool, low);
        PullRateLimit l;
        l.limit = limit;
        l.remaining = remaining;
        QCOMPARE(PullLimitIndicator::isLow(l), low);
    }

    // The real window: its status bar holds the indicator, hidden until the registry it follows
    // states a limit, then showing it.
    void indicatorInTheMainWindow()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        AppSettings settings;
        settings.backend = BackendChoice::Embedded;
        settings.storePath = dir.filePath(u"store"_s);
        settings.hubUrl = QUrl(u"http://127.0.0.1:9"_s);
        AppServices services(settings);
        MainWindow window(&services);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *indicator = child<PullLimitIndicator>(window.statusBar(), u"pullLimitIndicator"_s);
        QVERIFY(indicator);
        QCOMPARE(indicator->registry(), u"docker.io"_s);
        QVERIFY(indicator->isHidden());

        // Docker Hub is out of reach here: the front stands in for it.
        indicator->setRegistry(m_front.host);
        QVERIFY(indicator->isHidden());
        const ImageReference reference = seed(u"ratelimit/window"_s);
        RegistryClient *client = services.registryClient();
        const auto head
            = await<ManifestResponse>([&](auto done) { client->headManifest(reference, done); });
        QVERIFY2(head, why(head));
        QTRY_VERIFY(indicator->isVisible());
        QCOMPARE(m_front.window % 3600, 0);
        const QString hours
            = plural("Berth::PullLimitIndicator", "%n hour(s)", m_front.window / 3600);
        QCOMPARE(indicator->text(), u"Pulls left: %1 of %1 per %2"_s.arg(m_front.limit).arg(hours));
        const QString tip = indicator->toolTip();
        const QString allows = plural("Berth::PullLimitIndicator",
                                      "%1 allows %n pull(s) per %2 (%3 seconds).",
                                      m_front.limit)
                                   .arg(m_front.host, hours)
                                   .arg(m_front.window);
        QVERIFY2(allows.contains(QString::number(m_front.window)), qPrintable(allows));
        QVERIFY2(tip.startsWith(allows), qPrintable(tip));
        QVERIFY2(tip.contains(u"The limit applies to %1."_s.arg(m_front.source)), qPrintable(tip));
        QVERIFY2(tip.contains(u"Stated at "_s), qPrintable(tip));
        QVERIFY(!indicator->text().contains(u"<span"_s));
    }

    // Few pulls left: the count in Breeze's warning orange, one shade for a light window and
    // another for a dark one.
    void warningColour()
    {
        QNetworkAccessManager network;
        RegistryClient client(&network);
        PullLimitIndicator indicator(&client.transport());
        indicator.setRegistry(m_front.host);
        const ImageReference reference = seed(u"ratelimit/warning"_s);
        // Each GET is a pull: spend all but a tenth of them.
        for (int i = 0; i < m_front.limit - m_front.limit / 10; ++i) {
            const auto got = await<ManifestResponse>(
                [&](auto done) { client.fetchManifest(reference, done); });
            QVERIFY2(got, why(got));
        }
        QVERIFY(indicator.limit());
        QCOMPARE(indicator.limit()->remaining, m_front.limit / 10);
        indicator.setPalette(lightPalette());
        QVERIFY2(indicator.text().contains(u"color:#a34d00"_s), qPrintable(indicator.text()));
        indicator.setPalette(darkPalette());
        QVERIFY2(indicator.text().contains(u"color:#fdbc4b"_s), qPrintable(indicator.text()));
        QVERIFY(indicator.toolTip().contains(u"Few pulls are left"_s));
    }

    // "All platforms" of a two-platform index through the front: the index and two manifests.
    void costOfEveryPlatform()
    {
        QNetworkAccessManager network;
        RegistryClient client(&network);
        const ImageReference reference = seed(u"ratelimit/dialog"_s, u"multiarch"_s);
        const ImageReference repository = parseRepositoryReference(reference.repository());
        const auto tags
            = await<QList<TagInfo>>([&](auto done) { listRegistryTags(client, repository, done); });
        QVERIFY2(tags, why(tags));
        QCOMPARE(tags->size(), 1);
        QCOMPARE(tags->first().images.size(), 2);
        const auto limit = client.transport().pullRateLimit(m_front.host);
        QVERIFY(limit);

        PullDialog dialog;
        dialog.setPullLimits(&client.transport());
        dialog.setRepository(reference.repository());
        dialog.setTags(*tags);
        auto *cost = child<QLabel>(&dialog, u"pullCost"_s);
        QVERIFY(cost->isHidden()); // one platform: nothing to say
        child<QCheckBox>(&dialog, u"allPlatforms"_s)->setChecked(true);
        QVERIFY(!cost->isHidden());
        auto sentence = [](int remaining) {
            return plural("Berth::PullDialog",
                          "This pull counts as %1 of your %n remaining pull(s).",
                          remaining)
                .arg(3);
        };
        QCOMPARE(cost->text(),
                 plural("Berth::PullDialog",
                        "%1 counts the index and each of its %n platform manifest(s) as a pull.",
                        2)
                         .arg(m_front.host)
                     + u' ' + sentence(limit->remaining));
        QVERIFY2(cost->text().contains(u"as 3 of your %1 remaining"_s.arg(limit->remaining)),
                 qPrintable(cost->text()));

        // A later answer updates the count the sentence compares with.
        const auto got
            = await<ManifestResponse>([&](auto done) { client.fetchManifest(reference, done); });
        QVERIFY2(got, why(got));
        QVERIFY2(cost->text().endsWith(sentence(limit->remaining - 1)), qPrintable(cost->text()));

        // Fewer left than the pull needs: said so.
        for (int left = limit->remaining - 1; left > 2; --left) {
            const auto spent = await<ManifestResponse>(
                [&](auto done) { client.fetchManifest(reference, done); });
            QVERIFY2(spent, why(spent));
        }
        QCOMPARE(client.transport().pullRateLimit(m_front.host)->remaining, 2);
        QVERIFY2(cost->text().endsWith(
                     plural("Berth::PullDialog",
                            "This pull counts as %1 pulls, more than the %n pull(s) remaining: the "
                            "registry would refuse it part way.",
                            2)
                         .arg(3)),
                 qPrintable(cost->text()));
    }

    // A registry that states no limit costs nothing to mention; Docker Hub, before any answer,
    // gets the rule without numbers.
    void noCostStated()
    {
        QNetworkAccessManager network;
        RegistryClient client(&network);
        PullDialog dialog;
        dialog.setPullLimits(&client.transport());
        child<QCheckBox>(&dialog, u"allPlatforms"_s)->setChecked(true);
        auto *cost = child<QLabel>(&dialog, u"pullCost"_s);
        const QString plain = TestServices::instance().registry(u"plain"_s).host;
        dialog.setReference(plain + u"/berth/multiarch:1.0"_s);
        QVERIFY(dialog.isInputValid());
        QVERIFY(cost->isHidden());

        dialog.setReference(u"node:20"_s);
        QVERIFY(!cost->isHidden());
        QCOMPARE(cost->text(),
                 u"Docker Hub counts the index and each platform's manifest as a pull: pulling "
                 "every platform counts once per platform, and once more for the index."_s);
    }

private:
    static ImageReference parseRepositoryReference(const QString &text)
    {
        const auto parsed = ImageReference::parseRepository(text);
        return parsed ? *parsed : ImageReference();
    }

    ImageReference seed(const QString &prefix, const QString &ociTag = u"busybox"_s)
    {
        QString problem;
        const QString seeded = m_front.seedRepository(prefix, &problem, ociTag);
        if (seeded.isEmpty())
            qWarning() << "skopeo:" << problem;
        return parseReference(seeded);
    }

    PullLimitFront m_front;
};

QTEST_MAIN(tst_PullLimits)
#include "tst_pulllimits.moc"
