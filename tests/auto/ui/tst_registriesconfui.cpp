// registries.conf in the GUI: the pull dialog turns a short name into the registry the user
// picks among the search registries (the alias first when one matches, as podman's prompt), keeps
// docker's default when none is configured; Settings' view lists what is in effect or says which
// files were read.
#include "pulldialog.h"
#include "registriesconfmodel.h"
#include "registriesconfview.h"

#include "network/networkpolicy.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

std::shared_ptr<const RegistriesConf> conf(const QByteArray &text)
{
    auto c = std::make_shared<RegistriesConf>();
    c->merge(u"/tmp/test-registries.conf"_s, text);
    return c;
}

const QByteArray TwoSearchRegistries
    = "unqualified-search-registries = [\"registry.example.com\", \"docker.io\"]\n"
      "[aliases]\n\"tools\" = \"quay.io/team/tools\"\n";

} // namespace

class tst_RegistriesConfUi final : public QObject
{
    Q_OBJECT

private slots:
    void shortNameOffersTheSearchRegistries()
    {
        PullDialog dialog;
        dialog.setRegistriesConf(conf(TwoSearchRegistries));
        auto *reference = dialog.findChild<QLineEdit *>(u"reference"_s);
        QVERIFY(reference);
        reference->setText(u"busybox:1.0"_s);
        QComboBox *box = dialog.searchRegistryBox();
        QVERIFY(!box->isHidden());
        QCOMPARE(box->count(), 2);
        QCOMPARE(box->itemText(0), u"registry.example.com/busybox:1.0"_s);
        QCOMPARE(dialog.reference()->toString(), u"registry.example.com/busybox:1.0"_s);
        box->setCurrentIndex(1);
        QCOMPARE(dialog.reference()->toString(), u"docker.io/library/busybox:1.0"_s);
        // Typing on keeps the chosen registry.
        reference->setText(u"busybox:1.1"_s);
        QCOMPARE(dialog.reference()->toString(), u"docker.io/library/busybox:1.1"_s);
    }

    void aliasComesFirst()
    {
        PullDialog dialog;
        dialog.setRegistriesConf(conf(TwoSearchRegistries));
        dialog.findChild<QLineEdit *>(u"reference"_s)->setText(u"tools"_s);
        QComboBox *box = dialog.searchRegistryBox();
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->itemText(0), u"quay.io/team/tools"_s);
        QCOMPARE(dialog.reference()->toString(), u"quay.io/team/tools:latest"_s);
    }

    void qualifiedOrUnconfiguredNamesAreLeftAlone_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("pulls");
        QTest::newRow("qualified")
            << TwoSearchRegistries << u"ghcr.io/x/y:1"_s << u"ghcr.io/x/y:1"_s;
        QTest::newRow("no search registries: docker's default, aliases ignored")
            << QByteArray("[aliases]\n\"busybox\" = \"quay.io/b/busybox\"\n") << u"busybox:1"_s
            << u"docker.io/library/busybox:1"_s;
        QTest::newRow("one search registry: used without asking")
            << QByteArray("unqualified-search-registries = [\"r.example.com\"]\n") << u"app:2"_s
            << u"r.example.com/app:2"_s;
    }

    void qualifiedOrUnconfiguredNamesAreLeftAlone()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, typed);
        QFETCH(QString, pulls);
        PullDialog dialog;
        dialog.setRegistriesConf(conf(text));
        dialog.findChild<QLineEdit *>(u"reference"_s)->setText(typed);
        QVERIFY(dialog.searchRegistryBox()->isHidden());
        QVERIFY(dialog.reference());
        QCOMPARE(dialog.reference()->toString(), pulls);
    }

    void settingsViewShowsWhatIsInEffect()
    {
        setNetworkPolicy([] {
            auto policy = std::make_shared<NetworkPolicy>(*NetworkPolicy::fromEnvironment());
            policy->registries
                = conf("[[registry]]\nlocation = \"docker.io\"\n[[registry.mirror]]\n"
                       "location = \"m.example.com\"\ninsecure = true\n");
            return policy;
        }());
        RegistriesConfView view;
        QCOMPARE(view.model()->rowCount(), 1);
        const QString mirror
            = view.model()->index(0, RegistriesConfModel::DetailColumn).data().toString();
        QVERIFY2(mirror.contains(u"m.example.com, insecure"_s), qPrintable(mirror));
        QVERIFY(!view.findChild<QTableView *>(u"registriesConfView"_s)->isHidden());
        QVERIFY(view.findChild<QLabel *>(u"registriesConfEmpty"_s)->isHidden());
        QVERIFY(view.findChild<QLabel *>(u"registriesConfEngines"_s)->text().contains(u"engine"_s));

        setNetworkPolicy([] {
            auto policy = std::make_shared<NetworkPolicy>(*NetworkPolicy::fromEnvironment());
            policy->registries = conf("# nothing\n");
            return policy;
        }());
        view.reload();
        QVERIFY(view.findChild<QTableView *>(u"registriesConfView"_s)->isHidden());
        QVERIFY(view.findChild<QLabel *>(u"registriesConfEmpty"_s)
                    ->text()
                    .contains(u"/tmp/test-registries.conf"_s));
        setNetworkPolicy(nullptr);
    }
};

QTEST_MAIN(tst_RegistriesConfUi)
#include "tst_registriesconfui.moc"
