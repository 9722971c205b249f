// What the share wizard's Destination page proposes (ui/share/destinationdefaults): the registry,
// namespace, repository and tag of a local image's own name, Docker Hub under the user's Docker ID
// where the name has no registry to go back to, and the registries offered, each once.

#include "share/destinationdefaults.h"

#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::DestinationDefaults)

namespace QTest {
template<>
char *toString(const Berth::DestinationDefaults &d)
{
    return qstrdup(qPrintable(
        u"registry=%1 ns=%2 repository=%3 tag=%4"_s.arg(d.registry, d.ns, d.repository, d.tag)));
}
} // namespace QTest

class tst_DestinationDefaults final : public QObject
{
    Q_OBJECT

private slots:
    void oneImage_data();
    void oneImage();
    void severalImages_data();
    void severalImages();
    void registries_data();
    void registries();
};

void tst_DestinationDefaults::oneImage_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("hubUser");
    QTest::addColumn<DestinationDefaults>("expected");

    const QString digest = u"sha256:"_s + QString(64, u'a');
    QTest::newRow("registry with port")
        << u"127.0.0.1:5000/you/app:1.0"_s << u"jean"_s
        << DestinationDefaults{u"127.0.0.1:5000"_s, u"you"_s, u"app"_s, u"1.0"_s};
    QTest::newRow("registry, no namespace")
        << u"localhost:5000/app:2"_s << u"jean"_s
        << DestinationDefaults{u"localhost:5000"_s, QString(), u"app"_s, u"2"_s};
    QTest::newRow("nested namespace")
        << u"ghcr.io/org/team/tool:v3"_s << QString()
        << DestinationDefaults{u"ghcr.io"_s, u"org/team"_s, u"tool"_s, u"v3"_s};
    QTest::newRow("no tag: latest")
        << u"quay.io/you/app"_s << QString()
        << DestinationDefaults{u"quay.io"_s, u"you"_s, u"app"_s, u"latest"_s};
    QTest::newRow("digest: latest")
        << u"127.0.0.1:5000/you/app@"_s + digest << QString()
        << DestinationDefaults{u"127.0.0.1:5000"_s, u"you"_s, u"app"_s, u"latest"_s};
    QTest::newRow("IPv6 registry")
        << u"[::1]:5000/you/app:1.0"_s << QString()
        << DestinationDefaults{u"[::1]:5000"_s, u"you"_s, u"app"_s, u"1.0"_s};
    QTest::newRow("Docker Hub user image")
        << u"marie/app:1.0"_s << u"jean"_s
        << DestinationDefaults{u"docker.io"_s, u"marie"_s, u"app"_s, u"1.0"_s};
    QTest::newRow("plain name: an official image, under the user's name")
        << u"nginx:1.27"_s << u"jean"_s
        << DestinationDefaults{u"docker.io"_s, u"jean"_s, u"nginx"_s, u"1.27"_s};
    QTest::newRow("docker.io/library spelt out")
        << u"docker.io/library/busybox:1.36"_s << u"jean"_s
        << DestinationDefaults{u"docker.io"_s, u"jean"_s, u"busybox"_s, u"1.36"_s};
    QTest::newRow("official image, nobody logged in")
        << u"busybox"_s << QString()
        << DestinationDefaults{u"docker.io"_s, QString(), u"busybox"_s, u"latest"_s};
    QTest::newRow("podman's localhost: built here, not a registry")
        << u"localhost/app:1.0"_s << u"jean"_s
        << DestinationDefaults{u"docker.io"_s, u"jean"_s, u"app"_s, u"1.0"_s};
    QTest::newRow("image ID") << digest << u"jean"_s
                              << DestinationDefaults{
                                     u"docker.io"_s, u"jean"_s, QString(), u"latest"_s};
    QTest::newRow("not a name") << u"Not A Name"_s << QString()
                                << DestinationDefaults{
                                       u"docker.io"_s, QString(), QString(), u"latest"_s};
}

void tst_DestinationDefaults::oneImage()
{
    QFETCH(QString, image);
    QFETCH(QString, hubUser);
    QFETCH(DestinationDefaults, expected);
    QCOMPARE(destinationDefaults(image, hubUser), expected);
    QCOMPARE(destinationDefaults(QStringList{image}, hubUser), expected);
}

void tst_DestinationDefaults::severalImages_data()
{
    QTest::addColumn<QStringList>("images");
    QTest::addColumn<DestinationDefaults>("expected");

    QTest::newRow("same registry and namespace")
        << QStringList{u"127.0.0.1:5000/you/app:1.0"_s, u"127.0.0.1:5000/you/tool:2"_s}
        << DestinationDefaults{u"127.0.0.1:5000"_s, u"you"_s, QString(), QString()};
    QTest::newRow("different namespaces: Docker Hub")
        << QStringList{u"127.0.0.1:5000/you/app:1.0"_s, u"127.0.0.1:5000/team/tool:2"_s}
        << DestinationDefaults{u"docker.io"_s, u"jean"_s, QString(), QString()};
    QTest::newRow("official images: the user's namespace")
        << QStringList{u"nginx:1"_s, u"busybox:1"_s}
        << DestinationDefaults{u"docker.io"_s, u"jean"_s, QString(), QString()};
}

void tst_DestinationDefaults::severalImages()
{
    QFETCH(QStringList, images);
    QFETCH(DestinationDefaults, expected);
    QCOMPARE(destinationDefaults(images, u"jean"_s), expected);
}

void tst_DestinationDefaults::registries_data()
{
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("withLogins");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("none") << QStringList() << QStringList() << QStringList{u"docker.io"_s};
    QTest::newRow("Docker Hub's spellings are one")
        << QStringList() << QStringList{u"index.docker.io"_s, u"registry-1.docker.io"_s}
        << QStringList{u"docker.io"_s};
    QTest::newRow("added first, then logins, each once")
        << QStringList{u"localhost:5000"_s, u"ghcr.io"_s}
        << QStringList{u"127.0.0.1:5000"_s, u"https://ghcr.io/"_s, u"Quay.io"_s}
        << QStringList{u"docker.io"_s,
                       u"localhost:5000"_s,
                       u"ghcr.io"_s,
                       u"127.0.0.1:5000"_s,
                       u"quay.io"_s};
}

void tst_DestinationDefaults::registries()
{
    QFETCH(QStringList, added);
    QFETCH(QStringList, withLogins);
    QFETCH(QStringList, expected);
    QCOMPARE(destinationRegistries(added, withLogins), expected);
}

QTEST_GUILESS_MAIN(tst_DestinationDefaults)
#include "tst_destinationdefaults.moc"
