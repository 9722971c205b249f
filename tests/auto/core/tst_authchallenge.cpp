#include "http/responsehead.h"
#include "registry/authchallenge.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

// "Bearer{realm=…;service=…} | Basic{realm=…}": schemes as sent, keys sorted, so a row reads
// like the header it came from.
QString describe(const QList<AuthChallenge> &challenges)
{
    QStringList out;
    for (const AuthChallenge &challenge : challenges) {
        QStringList params;
        for (auto it = challenge.params.begin(); it != challenge.params.end(); ++it)
            params << it.key() + u'=' + it.value();
        out << challenge.schemeName + u'{' + params.join(u';') + u'}';
    }
    return out.join(u" | ");
}

template<typename T>
QByteArray errorText(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

} // namespace

class tst_AuthChallenge final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void refuse_data();
    void refuse();
    void schemes();
    void limits();
    void randomInputNeverCrashes();
    void preferred_data();
    void preferred();
    void repeatedHeadersReadAsOne();
};

void tst_AuthChallenge::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected");

    // What real registries send.
    QTest::newRow("docker hub")
        << QByteArray(
               R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull")")
        << u"Bearer{realm=https://auth.docker.io/token;scope=repository:library/node:pull;service=registry.docker.io}"_s;
    QTest::newRow("distribution htpasswd")
        << QByteArray(R"(Basic realm="Registry Realm")") << u"Basic{realm=Registry Realm}"_s;
    QTest::newRow("ghcr")
        << QByteArray(
               R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull")")
        << u"Bearer{realm=https://ghcr.io/token;scope=repository:user/image:pull;service=ghcr.io}"_s;
    QTest::newRow("quay") << QByteArray(
        R"(Bearer realm="https://quay.io/v2/auth",service="quay.io")")
                          << u"Bearer{realm=https://quay.io/v2/auth;service=quay.io}"_s;
    QTest::newRow("harbor")
        << QByteArray(
               R"(Bearer realm="https://harbor.example.com/service/token",service="harbor-registry")")
        << u"Bearer{realm=https://harbor.example.com/service/token;service=harbor-registry}"_s;
    QTest::newRow("ecr")
        << QByteArray(
               R"(Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com")")
        << u"Basic{realm=https://123456789012.dkr.ecr.us-east-1.amazonaws.com/;service=ecr.amazonaws.com}"_s;
    QTest::newRow("acr")
        << QByteArray(
               R"(Bearer realm="https://myregistry.azurecr.io/oauth2/token",service="myregistry.azurecr.io")")
        << u"Bearer{realm=https://myregistry.azurecr.io/oauth2/token;service=myregistry.azurecr.io}"_s;
    QTest::newRow("insufficient scope")
        << QByteArray(
               R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:jean/app:pull,push",error="insufficient_scope")")
        << u"Bearer{error=insufficient_scope;realm=https://auth.docker.io/token;scope=repository:jean/app:pull,push;service=registry.docker.io}"_s;

    // Several challenges, and the comma ambiguity between params and challenges.
    QTest::newRow("two challenges")
        << QByteArray(R"(Basic realm="x", Bearer realm="y",service="z")")
        << u"Basic{realm=x} | Bearer{realm=y;service=z}"_s;
    QTest::newRow("no space after comma") << QByteArray(R"(Basic realm="x",Bearer realm="y")")
                                          << u"Basic{realm=x} | Bearer{realm=y}"_s;
    QTest::newRow("commas inside quotes")
        << QByteArray(R"(Bearer realm="a,b",scope="repository:a:pull,push")")
        << u"Bearer{realm=a,b;scope=repository:a:pull,push}"_s;
    QTest::newRow("space-separated scopes")
        << QByteArray(R"(Bearer realm="r",scope="repository:a:pull repository:b:pull")")
        << u"Bearer{realm=r;scope=repository:a:pull repository:b:pull}"_s;
    QTest::newRow("digest with quoted list")
        << QByteArray(R"(Digest realm="x", qop="auth,auth-int", algorithm=MD5, nonce="abc")")
        << u"Digest{algorithm=MD5;nonce=abc;qop=auth,auth-int;realm=x}"_s;
    QTest::newRow("three challenges")
        << QByteArray(R"(Negotiate, Basic realm="b", Bearer realm="c")")
        << u"Negotiate{} | Basic{realm=b} | Bearer{realm=c}"_s;

    // Case: scheme and parameter names are case-insensitive; values are kept.
    QTest::newRow("lowercase scheme")
        << QByteArray(R"(bearer REALM="X",Service="Y")") << u"bearer{realm=X;service=Y}"_s;
    QTest::newRow("uppercase scheme") << QByteArray("BASIC realm=x") << u"BASIC{realm=x}"_s;

    // Quoted strings.
    QTest::newRow("escapes") << QByteArray(R"(Basic realm="a \"quoted\" \\ realm")")
                             << u"Basic{realm=a \"quoted\" \\ realm}"_s;
    QTest::newRow("escaped ordinary char")
        << QByteArray(R"(Basic realm="\a\b")") << u"Basic{realm=ab}"_s;
    QTest::newRow("empty quoted") << QByteArray(R"(Basic realm="")") << u"Basic{realm=}"_s;
    QTest::newRow("UTF-8") << QByteArray(R"(Basic realm="Dépôt")") << u"Basic{realm=Dépôt}"_s;
    QTest::newRow("tab inside") << QByteArray("Basic realm=\"a\tb\"") << u"Basic{realm=a\tb}"_s;

    // Whitespace and empty list elements (RFC 7230 #rule).
    QTest::newRow("spaces around =") << QByteArray(R"(Basic realm = "x")") << u"Basic{realm=x}"_s;
    QTest::newRow("spaces around commas")
        << QByteArray(R"(Bearer realm="x" , service="y")") << u"Bearer{realm=x;service=y}"_s;
    QTest::newRow("tabs") << QByteArray("Basic\trealm=\"x\"") << u"Basic{realm=x}"_s;
    QTest::newRow("empty elements") << QByteArray(R"(, Basic realm="x" ,, Bearer realm="y",)")
                                    << u"Basic{realm=x} | Bearer{realm=y}"_s;
    QTest::newRow("double comma between params")
        << QByteArray(R"(Bearer realm="x",,service="y")") << u"Bearer{realm=x;service=y}"_s;
    QTest::newRow("trailing spaces") << QByteArray("Basic realm=\"x\"   ") << u"Basic{realm=x}"_s;

    // token68 and bare schemes.
    QTest::newRow("token68") << QByteArray("Negotiate YIIGhgYGKwYBBQUCoII+ejCCBnagMDAu/gkq==")
                             << u"Negotiate{token68=YIIGhgYGKwYBBQUCoII+ejCCBnagMDAu/gkq==}"_s;
    QTest::newRow("token68 then challenge") << QByteArray(R"(Negotiate abc==, Basic realm="x")")
                                            << u"Negotiate{token68=abc==} | Basic{realm=x}"_s;
    QTest::newRow("bare scheme") << QByteArray("Basic") << u"Basic{}"_s;
    QTest::newRow("bare schemes") << QByteArray("NTLM, Negotiate") << u"NTLM{} | Negotiate{}"_s;
    // "realm=" alone is a token68 by the grammar, not an empty realm.
    QTest::newRow("ambiguous realm=") << QByteArray("Bearer realm=") << u"Bearer{token68=realm=}"_s;

    // Leniency for what some servers send.
    QTest::newRow("unquoted URL realm")
        << QByteArray("Bearer realm=https://auth.example.com/token,service=registry")
        << u"Bearer{realm=https://auth.example.com/token;service=registry}"_s;
    QTest::newRow("duplicate param: first wins")
        << QByteArray(R"(Basic realm="a", realm="b")") << u"Basic{realm=a}"_s;
    QTest::newRow("custom scheme") << QByteArray("X-Custom_1 param=1") << u"X-Custom_1{param=1}"_s;
}

void tst_AuthChallenge::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    const auto challenges = parseAuthChallenges(header);
    QVERIFY2(challenges, errorText(challenges).constData());
    QCOMPARE(describe(*challenges), expected);
}

void tst_AuthChallenge::refuse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << QByteArray() << u"the header is empty"_s;
    QTest::newRow("only separators") << QByteArray(" , ,\t") << u"the header is empty"_s;
    QTest::newRow("unterminated") << QByteArray(R"(Bearer realm="https://x)")
                                  << u"unterminated quoted string"_s;
    QTest::newRow("backslash at end")
        << QByteArray(R"(Bearer realm="x\)") << u"unterminated quoted string"_s;
    QTest::newRow("missing =") << QByteArray(R"(Bearer realm service="x")")
                               << u"expected '=' after realm at offset 13, found 's'"_s;
    QTest::newRow("missing comma") << QByteArray(R"(Bearer realm="x" service="y")")
                                   << u"expected ',' or the end of the header at offset 17"_s;
    QTest::newRow("no scheme") << QByteArray(R"(="x")")
                               << u"expected an authentication scheme at offset 0, found '='"_s;
    QTest::newRow("quote as scheme")
        << QByteArray(R"("Basic" realm=x)") << u"expected an authentication scheme"_s;
    QTest::newRow("comma after scheme space")
        << QByteArray(R"(Bearer ,realm="x")") << u"expected a parameter name at offset 7"_s;
    QTest::newRow("control char in quotes") << QByteArray("Basic realm=\"a\x01"
                                                          "b\"")
                                            << u"control character in a quoted string"_s;
    QTest::newRow("NUL in quotes")
        << QByteArray("Basic realm=\"a\0b\"", 17) << u"control character"_s;
    QTest::newRow("DEL in quotes") << QByteArray("Basic realm=\"a\x7f\"") << u"control character"_s;
    QTest::newRow("escaped control char")
        << QByteArray("Basic realm=\"a\\\x01\"") << u"invalid escaped character"_s;
    QTest::newRow("newline between")
        << QByteArray("Basic realm=\"x\"\r\nBearer realm=\"y\"") << u"found '\\x0d'"_s;
    QTest::newRow("non-ASCII scheme")
        << QByteArray("Bäsic realm=x") << u"expected a space after the scheme at offset 1"_s;
    QTest::newRow("value then junk")
        << QByteArray("Basic realm=x y") << u"expected ',' or the end of the header"_s;
    // "realm=" reads as a token68, so the failure shows at what follows it.
    QTest::newRow("missing value") << QByteArray("Basic realm=, service=y")
                                   << u"expected a space after the scheme at offset 21"_s;
    QTest::newRow("missing value at end")
        << QByteArray("Basic a=b, realm= ") << u"expected a parameter value at the end"_s;
    QTest::newRow("quote after token68")
        << QByteArray(R"(Negotiate abc"def")") << u"expected '=' after abc"_s;
}

void tst_AuthChallenge::refuse()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, error);
    const auto challenges = parseAuthChallenges(header);
    QVERIFY2(!challenges, qPrintable(challenges ? describe(*challenges) : QString()));
    QCOMPARE(challenges.error().kind, Error::Kind::Protocol);
    QVERIFY2(challenges.error().message.contains(error), errorText(challenges).constData());
    QVERIFY(challenges.error().message.startsWith(u"malformed WWW-Authenticate header"));
}

void tst_AuthChallenge::schemes()
{
    const auto challenges = parseAuthChallenges(
        R"(bAsIc realm="a", BEARER realm="b",service="s",scope="p", Digest realm="c")");
    QVERIFY2(challenges, errorText(challenges).constData());
    QCOMPARE(challenges->size(), 3);
    QCOMPARE(challenges->at(0).scheme, AuthChallenge::Scheme::Basic);
    QCOMPARE(challenges->at(0).schemeName, u"bAsIc"_s);
    QCOMPARE(challenges->at(1).scheme, AuthChallenge::Scheme::Bearer);
    QCOMPARE(challenges->at(1).realm(), u"b"_s);
    QCOMPARE(challenges->at(1).service(), u"s"_s);
    QCOMPARE(challenges->at(1).scope(), u"p"_s);
    QVERIFY(challenges->at(1).error().isEmpty());
    QCOMPARE(challenges->at(2).scheme, AuthChallenge::Scheme::Other);
}

void tst_AuthChallenge::limits()
{
    // 64 KiB is accepted, one byte more is not.
    QByteArray big = "Basic realm=\"";
    big += QByteArray(64 * 1024 - big.size() - 1, 'a') + '"';
    QCOMPARE(big.size(), 64 * 1024);
    QVERIFY2(parseAuthChallenges(big), errorText(parseAuthChallenges(big)).constData());
    big.insert(13, 'a');
    auto tooBig = parseAuthChallenges(big);
    QVERIFY(!tooBig);
    QVERIFY(tooBig.error().message.contains(u"more than the 64 KiB"));

    QByteArray many;
    for (int i = 0; i < 32; ++i)
        many += "Basic realm=\"r" + QByteArray::number(i) + "\", ";
    QCOMPARE(parseAuthChallenges(many)->size(), 32);
    many += "Bearer realm=\"x\"";
    auto tooMany = parseAuthChallenges(many);
    QVERIFY(!tooMany);
    QVERIFY(tooMany.error().message.contains(u"more than 32 challenges"));

    QByteArray params = "Bearer ";
    for (int i = 0; i < 64; ++i)
        params += "p" + QByteArray::number(i) + "=v,";
    QCOMPARE(parseAuthChallenges(params)->first().params.size(), 64);
    params += "last=v";
    auto tooManyParams = parseAuthChallenges(params);
    QVERIFY(!tooManyParams);
    QVERIFY(tooManyParams.error().message.contains(u"more than 64 parameters"));
}

// Header bytes come from any server Berth is pointed at: whatever they are, the parser answers.
void tst_AuthChallenge::randomInputNeverCrashes()
{
    QRandomGenerator random(20240514);
    const QByteArray alphabet = "Bearer Basic realm=\"\\, \t=abc/+~-_.!#\x01\xff";
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray header(random.bounded(64), Qt::Uninitialized);
        for (char &c : header) {
            c = random.bounded(4) == 0 ? char(random.bounded(256))
                                       : alphabet.at(random.bounded(int(alphabet.size())));
        }
        const auto result = parseAuthChallenges(header);
        if (result) {
            ++accepted;
            QVERIFY(!result->isEmpty());
            for (const AuthChallenge &challenge : *result)
                QVERIFY(!challenge.schemeName.isEmpty());
        } else {
            QCOMPARE(result.error().kind, Error::Kind::Protocol);
        }
    }
    QVERIFY(accepted > 0);
}

void tst_AuthChallenge::preferred_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected"); // "scheme realm"; empty: none

    QTest::newRow("basic only") << QByteArray(R"(Basic realm="x")") << u"Basic x"_s;
    QTest::newRow("bearer over basic")
        << QByteArray(R"(Basic realm="x", Bearer realm="y")") << u"Bearer y"_s;
    QTest::newRow("first bearer") << QByteArray(R"(Bearer realm="a", Bearer realm="b")")
                                  << u"Bearer a"_s;
    QTest::newRow("bearer without realm loses to basic")
        << QByteArray(R"(Bearer service="z", Basic realm="x")") << u"Basic x"_s;
    QTest::newRow("bearer without realm alone")
        << QByteArray(R"(Bearer service="z")") << u"Bearer "_s;
    QTest::newRow("neither") << QByteArray("Negotiate abc, NTLM") << QString();
    QTest::newRow("other then basic")
        << QByteArray(R"(Digest realm="d", basic realm="b")") << u"basic b"_s;
}

void tst_AuthChallenge::preferred()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    const auto challenges = parseAuthChallenges(header);
    QVERIFY2(challenges, errorText(challenges).constData());
    const auto chosen = preferredChallenge(*challenges);
    if (expected.isEmpty()) {
        QVERIFY(!chosen);
        return;
    }
    QVERIFY(chosen);
    QCOMPARE(chosen->schemeName + u' ' + chosen->realm(), expected);
    QVERIFY(!preferredChallenge({}));
}

// libcurl hands each WWW-Authenticate header over on its own; the answer reads them joined, as
// Qt's stack did, so a registry's Basic and Bearer in two headers still meet the preference.
void tst_AuthChallenge::repeatedHeadersReadAsOne()
{
    // Plain strings: moc reads no raw string literal, and a URL's "//" in one looks like a comment.
    const QByteArray basic = "Basic realm=\"registry\"";
    const QByteArray bearer = "Bearer realm=\"https:/"
                              "/auth.example/token\",service=\"r\"";
    ResponseHead head;
    head.headers = {{"www-authenticate", basic},
                    {"Content-Type", "application/json"},
                    {"WWW-Authenticate", bearer}};
    const QByteArray joined = head.header("WWW-Authenticate");
    QCOMPARE(joined, basic + ", " + bearer);
    const auto challenges = parseAuthChallenges(joined);
    QVERIFY2(challenges, errorText(challenges).constData());
    const auto chosen = preferredChallenge(*challenges);
    QVERIFY(chosen);
    QCOMPARE(chosen->scheme, AuthChallenge::Scheme::Bearer);
    QCOMPARE(head.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(head.header("Location").isNull());
}

QTEST_GUILESS_MAIN(tst_AuthChallenge)
#include "tst_authchallenge.moc"
