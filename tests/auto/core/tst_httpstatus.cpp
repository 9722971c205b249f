// The one reading of HTTP statuses as Error kinds (core/http/httpstatus), and the contexts that
// read some statuses their own way on top of it: the registry, the container engine.
#include "http/httpstatus.h"
#include "registry/registryerror.h"
#include "store/engineclient.h"

#include <QTest>

using namespace Berth;

Q_DECLARE_METATYPE(Berth::Error::Kind)

namespace {

using Kind = Error::Kind;

// Kinds by name, so that a failure says "NotFound", not "3".
QString name(Kind kind)
{
    return errorKindName(kind);
}

constexpr HttpStatusKind Overrides[] = {{400, Kind::Protocol}, {409, Kind::Denied}};

} // namespace

class tst_HttpStatus : public QObject
{
    Q_OBJECT

private slots:
    void commonReading_data();
    void commonReading();
    void overridesComeFirst_data();
    void overridesComeFirst();
    void registryReading_data();
    void registryReading();
    void engineReading_data();
    void engineReading();
};

void tst_HttpStatus::commonReading_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("400") << 400 << Kind::InvalidArgument;
    QTest::newRow("401") << 401 << Kind::Unauthorized;
    QTest::newRow("403") << 403 << Kind::Denied;
    QTest::newRow("404") << 404 << Kind::NotFound;
    QTest::newRow("405") << 405 << Kind::Unsupported;
    QTest::newRow("409 unnamed") << 409 << Kind::Protocol;
    QTest::newRow("410") << 410 << Kind::NotFound;
    QTest::newRow("418 unnamed") << 418 << Kind::Protocol;
    QTest::newRow("422") << 422 << Kind::InvalidArgument;
    QTest::newRow("429") << 429 << Kind::RateLimited;
    QTest::newRow("500") << 500 << Kind::Server;
    QTest::newRow("503") << 503 << Kind::Server;
    QTest::newRow("599") << 599 << Kind::Server;
    QTest::newRow("302 unnamed") << 302 << Kind::Protocol;
    QTest::newRow("0 unnamed") << 0 << Kind::Protocol;
}

void tst_HttpStatus::commonReading()
{
    QFETCH(int, status);
    QFETCH(Kind, kind);
    QCOMPARE(name(errorKindForHttpStatus(status)), name(kind));
}

void tst_HttpStatus::overridesComeFirst_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Kind>("otherwise");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("overridden 400") << 400 << Kind::Server << Kind::Protocol;
    QTest::newRow("overridden 409") << 409 << Kind::Server << Kind::Denied;
    QTest::newRow("common 404") << 404 << Kind::Server << Kind::NotFound;
    QTest::newRow("common 502") << 502 << Kind::Protocol << Kind::Server;
    QTest::newRow("unnamed 418, otherwise Server") << 418 << Kind::Server << Kind::Server;
    QTest::newRow("unnamed 418, otherwise Protocol") << 418 << Kind::Protocol << Kind::Protocol;
}

void tst_HttpStatus::overridesComeFirst()
{
    QFETCH(int, status);
    QFETCH(Kind, otherwise);
    QFETCH(Kind, kind);
    QCOMPARE(name(errorKindForHttpStatus(status, Overrides, otherwise)), name(kind));
}

// A registry's answer without an error code: its status alone.
void tst_HttpStatus::registryReading_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("400 is Berth's request") << 400 << Kind::Protocol;
    QTest::newRow("401") << 401 << Kind::Unauthorized;
    QTest::newRow("403") << 403 << Kind::Denied;
    QTest::newRow("404") << 404 << Kind::NotFound;
    QTest::newRow("405") << 405 << Kind::Unsupported;
    QTest::newRow("409") << 409 << Kind::Protocol;
    QTest::newRow("410 is no status of the spec") << 410 << Kind::Protocol;
    QTest::newRow("422 is no status of the spec") << 422 << Kind::Protocol;
    QTest::newRow("429") << 429 << Kind::RateLimited;
    QTest::newRow("500") << 500 << Kind::Server;
    QTest::newRow("504") << 504 << Kind::Server;
}

void tst_HttpStatus::registryReading()
{
    QFETCH(int, status);
    QFETCH(Kind, kind);
    const Error error = registryHttpError(status, {}, QStringLiteral("a tag"), u"r.example"_qs);
    QCOMPARE(name(error.kind), name(kind));
    QCOMPARE(error.httpStatus, status);
}

// The engine's answer with a message that names no known failure, or with none.
void tst_HttpStatus::engineReading_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Kind>("kind");
    const QByteArray plain = R"({"message":"something happened"})";
    QTest::newRow("400") << 400 << plain << Kind::InvalidArgument;
    QTest::newRow("401") << 401 << plain << Kind::Unauthorized;
    QTest::newRow("403") << 403 << plain << Kind::Denied;
    QTest::newRow("404") << 404 << plain << Kind::NotFound;
    QTest::newRow("409 is a refusal") << 409 << plain << Kind::Denied;
    QTest::newRow("405 is the engine failing") << 405 << plain << Kind::Server;
    QTest::newRow("410 is the engine failing") << 410 << plain << Kind::Server;
    QTest::newRow("422 is the engine failing") << 422 << plain << Kind::Server;
    QTest::newRow("429 is the engine failing") << 429 << plain << Kind::Server;
    QTest::newRow("418 is the engine failing") << 418 << plain << Kind::Server;
    QTest::newRow("500 without a message") << 500 << QByteArray() << Kind::Server;
    QTest::newRow("500 read from its message")
        << 500 << QByteArray(R"({"message":"manifest unknown"})") << Kind::NotFound;
}

void tst_HttpStatus::engineReading()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(Kind, kind);
    const Error error = EngineClient::errorFromResponse(status, body);
    QCOMPARE(name(error.kind), name(kind));
    QCOMPARE(error.httpStatus, status);
}

QTEST_GUILESS_MAIN(tst_HttpStatus)
#include "tst_httpstatus.moc"
