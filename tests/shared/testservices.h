#pragma once

#include <QJsonObject>
#include <QString>

namespace BerthTest {

// One of the registries started by tests/shared/services/berth-services.
struct TestRegistry
{
    QString host;     // "127.0.0.1:PORT"
    QString username; // empty for "plain"
    QString password;
    QString realm;   // token flavour only: "http://127.0.0.1:PORT/token"
    QString service; // token flavour only: "berth-test-registry"
    // TLS registry only: this machine's host name and the port ("vm:PORT"), a name that is not
    // loopback to Berth (empty when the host name does not resolve to loopback), and the PEM
    // file of its self-signed certificate.
    QString name;
    QString certificate;
};

// One of the squid proxies started by berth-services ("open", or "auth": Basic login required).
struct TestProxy
{
    QString url;       // "http://127.0.0.1:PORT"
    QString accessLog; // one line per request: "GET http://NAME:PORT/v2/…" or "CONNECT NAME:PORT"
    QString user;      // "auth" only
    QString password;
    // A name only the proxies resolve (to 127.0.0.1): a registry reached by it was reached
    // through the proxy.
    QString proxiedName;
};

// The registry that wants a client certificate (berth-services start_mtls_registry): its server
// certificate and the client's are signed by a CA the test services made.
struct TestMtlsRegistry
{
    QString host;              // "127.0.0.1:PORT"
    QString name;              // "HOSTNAME:PORT", the name its certificate carries ("" if none)
    QString ca;                // the CA's certificate (PEM)
    QString clientCertificate; // PEM, signed by the CA
    QString clientKey;         // PEM, unencrypted
};

// The services of the ctest `services_start` fixture, read from $BERTH_TEST_SERVICES
// (services.json). A test that runs without them (not through ctest, or without the SERVICES flag
// of berth_add_test) stops with a message saying so.
class TestServices final
{
public:
    static const TestServices &instance();

    // "plain", "basic", "token", "nodelete" (deletes refused), "ratelimit" (the pull-limit front
    // before the plain registry; raw()["ratelimit"] has its log, limit and window)
    TestRegistry registry(const QString &flavour) const;
    // HTTPS with a self-signed certificate, serving the plain registry's repositories.
    TestRegistry tlsRegistry() const;
    // helper "mirrors": a registry of its own serving the busybox fixture as docker.io's
    // library/busybox (tags 1.0 and latest), for registries.conf's [[registry.mirror]].
    TestRegistry dockerIoMirror() const;
    TestMtlsRegistry mtlsRegistry() const;
    QJsonObject images() const; // fixture name -> description
    QJsonObject
    image(const QString &name) const; // "busybox", "busybox-docker", "multiarch", "private"
    QJsonObject many() const;         // berth/many: 300 tags over 20 digests
    QJsonObject tokenServer() const;  // url, realm, stats, expires_in, issuer, cert
    QString ociLayout() const;        // the OCI layout the fixtures were built in
    // The engines started with `--with docker,podman`: "docker" or "podman" -> the unix socket
    // path of its API, "" when that engine was not started.
    QString engineSocket(const QString &name) const;
    QJsonObject engine(const QString &name) const; // socket, pid, version, log
    QJsonObject raw() const;                       // the whole services.json
    TestProxy proxy(const QString &which) const;   // "open" or "auth"

private:
    explicit TestServices(const QJsonObject &root);
    QJsonObject m_root;
};

} // namespace BerthTest
