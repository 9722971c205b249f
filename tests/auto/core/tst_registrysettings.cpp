// The user's registries as QSettings keeps them (core/registry/registrysettings): what is read
// from hand-edited, older or broken arrays, and what is written back. An INI file in a temporary
// folder stands for the app's settings.

#include "registry/registrysettings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::RegistryEntry)

namespace QTest {

template<>
char *toString(const RegistryEntry &entry)
{
    return qstrdup(qPrintable(entry.host + (entry.insecure ? u" (plain HTTP)"_s : QString())));
}

} // namespace QTest

class tst_RegistrySettings final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void normalizedHost_data();
    void normalizedHost();
    void load_data();
    void load();
    void saveThenLoad_data();
    void saveThenLoad();
    void saveDropsWhatALongerListLeft();
    void insecureHosts();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void tst_RegistrySettings::init()
{
    m_settings.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings
        = std::make_unique<QSettings>(m_dir->filePath(u"berth.conf"_s), QSettings::IniFormat);
}

void tst_RegistrySettings::normalizedHost_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host"); // empty: not a registry name

    QTest::newRow("domain") << u"registry.example.com"_s << u"registry.example.com"_s;
    QTest::newRow("upper case, scheme, slash")
        << u" https://Registry.Example.com/ "_s << u"registry.example.com"_s;
    QTest::newRow("port") << u"myhost:5000"_s << u"myhost:5000"_s;
    QTest::newRow("localhost") << u"localhost"_s << u"localhost"_s;
    QTest::newRow("Docker Hub's index") << u"index.docker.io"_s << u"docker.io"_s;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("blank") << u"   "_s << QString();
    QTest::newRow("a word") << u"myhost"_s << QString();
    QTest::newRow("spaces") << u"not a host"_s << QString();
    QTest::newRow("a path, dropped")
        << u"registry.example.com/team/app"_s << u"registry.example.com"_s;
}

void tst_RegistrySettings::normalizedHost()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QCOMPARE(RegistrySettings::normalizedHost(text).value_or(QString()), host);
}

void tst_RegistrySettings::load_data()
{
    // The raw keys, as QSettings writes an array: "registries/size", "registries/1/host", …
    QTest::addColumn<QVariantMap>("raw");
    QTest::addColumn<QList<RegistryEntry>>("expected");

    const QString size = u"registries/size"_s;
    const auto host = [](int n) {
        return u"registries/%1/host"_s.arg(n);
    };
    const auto insecure = [](int n) {
        return u"registries/%1/insecure"_s.arg(n);
    };

    QTest::newRow("nothing") << QVariantMap() << QList<RegistryEntry>();
    QTest::newRow("one, HTTPS only")
        << QVariantMap{{size, 1}, {host(1), u"ghcr.io"_s}, {insecure(1), false}}
        << QList<RegistryEntry>{{u"ghcr.io"_s, false}};
    QTest::newRow("two, in order, one plain HTTP")
        << QVariantMap{{size, 2},
                       {host(1), u"registry.lan:5000"_s},
                       {insecure(1), true},
                       {host(2), u"quay.io"_s}}
        << QList<RegistryEntry>{{u"registry.lan:5000"_s, true}, {u"quay.io"_s, false}};
    QTest::newRow("no insecure key: HTTPS only") << QVariantMap{{size, 1}, {host(1), u"quay.io"_s}}
                                                 << QList<RegistryEntry>{{u"quay.io"_s, false}};
    QTest::newRow("insecure as text, as an INI file holds it")
        << QVariantMap{{size, 1}, {host(1), u"quay.io"_s}, {insecure(1), u"true"_s}}
        << QList<RegistryEntry>{{u"quay.io"_s, true}};
    QTest::newRow("host normalised") << QVariantMap{{size, 1}, {host(1), u"https://Quay.IO/"_s}}
                                     << QList<RegistryEntry>{{u"quay.io"_s, false}};
    QTest::newRow("not a registry name, left out")
        << QVariantMap{{size, 2}, {host(1), u"not a host"_s}, {host(2), u"quay.io"_s}}
        << QList<RegistryEntry>{{u"quay.io"_s, false}};
    QTest::newRow("entry without a host, left out")
        << QVariantMap{{size, 2}, {insecure(1), true}, {host(2), u"quay.io"_s}}
        << QList<RegistryEntry>{{u"quay.io"_s, false}};
    QTest::newRow("size beyond the entries") << QVariantMap{{size, 3}, {host(1), u"quay.io"_s}}
                                             << QList<RegistryEntry>{{u"quay.io"_s, false}};
    QTest::newRow("entries without a size: none")
        << QVariantMap{{host(1), u"quay.io"_s}} << QList<RegistryEntry>();
    QTest::newRow("size not a number: none")
        << QVariantMap{{size, u"many"_s}, {host(1), u"quay.io"_s}} << QList<RegistryEntry>();
    QTest::newRow("Docker Hub, always there, left out")
        << QVariantMap{{size, 2}, {host(1), u"docker.io"_s}, {host(2), u"index.docker.io"_s}}
        << QList<RegistryEntry>();
    QTest::newRow("a repeat, the first kept") << QVariantMap{{size, 2},
                                                             {host(1), u"ok.example.com"_s},
                                                             {host(2), u"OK.example.com"_s},
                                                             {insecure(2), true}}
                                              << QList<RegistryEntry>{{u"ok.example.com"_s, false}};
}

void tst_RegistrySettings::load()
{
    QFETCH(QVariantMap, raw);
    QFETCH(QList<RegistryEntry>, expected);
    for (auto it = raw.cbegin(); it != raw.cend(); ++it)
        m_settings->setValue(it.key(), it.value());
    m_settings->sync();
    QSettings reread(m_settings->fileName(), QSettings::IniFormat);
    QCOMPARE(RegistrySettings::load(reread), expected);
}

void tst_RegistrySettings::saveThenLoad_data()
{
    QTest::addColumn<QList<RegistryEntry>>("entries");

    QTest::newRow("none") << QList<RegistryEntry>();
    QTest::newRow("one") << QList<RegistryEntry>{{u"ghcr.io"_s, false}};
    QTest::newRow("several, in order") << QList<RegistryEntry>{
        {u"localhost:5000"_s, true}, {u"ghcr.io"_s, false}, {u"registry.lan:5000"_s, true}};
}

void tst_RegistrySettings::saveThenLoad()
{
    QFETCH(QList<RegistryEntry>, entries);
    RegistrySettings::save(*m_settings, entries);
    m_settings->sync();
    QSettings reread(m_settings->fileName(), QSettings::IniFormat);
    QCOMPARE(RegistrySettings::load(reread), entries);
    // The keys berthctl and older versions of Berth read.
    QCOMPARE(reread.value(u"registries/size"_s).toInt(), int(entries.size()));
    for (int i = 0; i < int(entries.size()); ++i) {
        QCOMPARE(reread.value(u"registries/%1/host"_s.arg(i + 1)).toString(), entries.at(i).host);
        QCOMPARE(reread.value(u"registries/%1/insecure"_s.arg(i + 1)).toBool(),
                 entries.at(i).insecure);
    }
}

void tst_RegistrySettings::saveDropsWhatALongerListLeft()
{
    RegistrySettings::save(
        *m_settings,
        {{u"a.example.com"_s, true}, {u"b.example.com"_s, false}, {u"c.example.com"_s, true}});
    RegistrySettings::save(*m_settings, {{u"d.example.com"_s, false}});
    m_settings->sync();
    QSettings reread(m_settings->fileName(), QSettings::IniFormat);
    QCOMPARE(RegistrySettings::load(reread), (QList<RegistryEntry>{{u"d.example.com"_s, false}}));
    QVERIFY(!reread.contains(u"registries/2/host"_s));
    QVERIFY(!reread.contains(u"registries/3/insecure"_s));
}

void tst_RegistrySettings::insecureHosts()
{
    QCOMPARE(RegistrySettings::insecureHosts({}), QStringList());
    QCOMPARE(
        RegistrySettings::insecureHosts(
            {{u"a.example.com"_s, true}, {u"b.example.com"_s, false}, {u"localhost:5000"_s, true}}),
        (QStringList{u"a.example.com"_s, u"localhost:5000"_s}));
}

QTEST_GUILESS_MAIN(tst_RegistrySettings)
#include "tst_registrysettings.moc"
