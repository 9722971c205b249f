#include "testservices.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QtGlobal>

namespace BerthTest {

namespace {

constexpr char kHowToRun[]
    = "Run this test through ctest (e.g. `ctest -R tst_name`) so that the `services_start` fixture "
      "starts the registries and sets BERTH_TEST_SERVICES, or start them by hand with "
      "`tests/shared/services/berth-services start --state DIR` and set "
      "BERTH_TEST_SERVICES=DIR/services.json.";

QJsonObject loadServices()
{
    const QString path = qEnvironmentVariable("BERTH_TEST_SERVICES");
    if (path.isEmpty())
        qFatal("BERTH_TEST_SERVICES is not set: this test needs the test services. %s", kHowToRun);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("Cannot read the test services description %s (%s): were the services started? %s",
               qPrintable(path),
               qPrintable(file.errorString()),
               kHowToRun);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        qFatal("The test services description %s is not a JSON object (%s). %s",
               qPrintable(path),
               qPrintable(error.errorString()),
               kHowToRun);
    return doc.object();
}

} // namespace

TestServices::TestServices(const QJsonObject &root)
    : m_root(root)
{}

const TestServices &TestServices::instance()
{
    static const TestServices services(loadServices());
    return services;
}

TestRegistry TestServices::registry(const QString &flavour) const
{
    const QJsonObject entry
        = m_root.value(QLatin1String("registries")).toObject().value(flavour).toObject();
    if (entry.isEmpty())
        qFatal("The test services have no registry of flavour '%s' (plain, basic, token, nodelete, "
               "ratelimit).",
               qPrintable(flavour));
    TestRegistry r;
    r.host = entry.value(QLatin1String("host")).toString();
    r.username = entry.value(QLatin1String("username")).toString();
    r.password = entry.value(QLatin1String("password")).toString();
    r.realm = entry.value(QLatin1String("realm")).toString();
    r.service = entry.value(QLatin1String("service")).toString();
    return r;
}

// helper "mirrors"
TestRegistry TestServices::dockerIoMirror() const
{
    const QJsonObject entry = m_root.value(QLatin1String("dockerio_mirror")).toObject();
    if (entry.isEmpty())
        qFatal("The test services have no docker.io mirror: restart them with this version of "
               "berth-services.");
    TestRegistry r;
    r.host = entry.value(QLatin1String("host")).toString();
    return r;
}

TestRegistry TestServices::tlsRegistry() const
{
    const QJsonObject entry = m_root.value(QLatin1String("tls_registry")).toObject();
    if (entry.isEmpty())
        qFatal("The test services have no TLS registry: restart them with this version of "
               "berth-services.");
    TestRegistry r;
    r.host = entry.value(QLatin1String("host")).toString();
    r.name = entry.value(QLatin1String("name")).toString();
    r.certificate = entry.value(QLatin1String("cert")).toString();
    return r;
}

TestMtlsRegistry TestServices::mtlsRegistry() const
{
    const QJsonObject entry = m_root.value(QLatin1String("mtls_registry")).toObject();
    if (entry.isEmpty())
        qFatal("The test services have no mTLS registry: restart them with this version of "
               "berth-services.");
    TestMtlsRegistry r;
    r.host = entry.value(QLatin1String("host")).toString();
    r.name = entry.value(QLatin1String("name")).toString();
    r.ca = entry.value(QLatin1String("ca")).toString();
    r.clientCertificate = entry.value(QLatin1String("client_cert")).toString();
    r.clientKey = entry.value(QLatin1String("client_key")).toString();
    return r;
}

QJsonObject TestServices::images() const
{
    return m_root.value(QLatin1String("images")).toObject();
}

QJsonObject TestServices::image(const QString &name) const
{
    const QJsonObject entry = images().value(name).toObject();
    if (entry.isEmpty())
        qFatal("The test services have no fixture image '%s'.", qPrintable(name));
    return entry;
}

QJsonObject TestServices::many() const
{
    return m_root.value(QLatin1String("many")).toObject();
}

QJsonObject TestServices::tokenServer() const
{
    return m_root.value(QLatin1String("token_server")).toObject();
}

QString TestServices::ociLayout() const
{
    return m_root.value(QLatin1String("oci_layout"))
        .toObject()
        .value(QLatin1String("path"))
        .toString();
}

QJsonObject TestServices::engine(const QString &name) const
{
    return m_root.value(QLatin1String("engines")).toObject().value(name).toObject();
}

QString TestServices::engineSocket(const QString &name) const
{
    return engine(name).value(QLatin1String("socket")).toString();
}

TestProxy TestServices::proxy(const QString &which) const
{
    const QJsonObject proxies = m_root.value(QLatin1String("proxies")).toObject();
    const QJsonObject entry = proxies.value(which).toObject();
    if (entry.isEmpty())
        qFatal("The test services have no '%s' proxy: restart them with this version of "
               "berth-services.",
               qPrintable(which));
    TestProxy p;
    p.url = entry.value(QLatin1String("url")).toString();
    p.accessLog = entry.value(QLatin1String("access_log")).toString();
    p.user = entry.value(QLatin1String("user")).toString();
    p.password = entry.value(QLatin1String("password")).toString();
    p.proxiedName = proxies.value(QLatin1String("name")).toString();
    return p;
}

QJsonObject TestServices::raw() const
{
    return m_root;
}

} // namespace BerthTest
