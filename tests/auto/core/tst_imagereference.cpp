#include "common/sha256.h"
#include "reference/imagereference.h"

#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

// Valid digests computed rather than pasted, so every row's hex is right by construction.
QString sha256Of(const char *label)
{
    return Sha256::digestOf(QByteArrayView(label));
}

QString hex64()
{
    return sha256Of("berth").sliced(7);
}

QString hex128()
{
    return hex64() + sha256Of("berth-2").sliced(7);
}

// QVERIFY2 evaluates its message even when the check passes: never touch error() of a value.
template<typename T>
QByteArray errorText(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

QString repeated(QChar c, qsizetype n)
{
    return QString(n, c);
}

} // namespace

class tst_ImageReference final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void roundTrip_data();
    void roundTrip();
    void digest_data();
    void digest();
    void validateTag_data();
    void validateTag();
    void normalizeRegistry_data();
    void normalizeRegistry();
    void registryHost_data();
    void registryHost();
    void parseRepository_data();
    void parseRepository();
    void withTagAndDigest();
    void defaultIsInvalid();

private:
    // Rows of parse_data: ok rows give every normalised part, error rows a fragment of the message.
    static void ok(const QString &input,
                   const QString &domain,
                   const QString &path,
                   const QString &tag,
                   const QString &digest,
                   const QString &familiar)
    {
        const QString name = input.size() > 60 ? QString(input.left(60) + u"…"_s) : input;
        QTest::addRow("%s", qPrintable(name))
            << input << true << domain << path << tag << digest << familiar << QString();
    }
    static void error(const char *name, const QString &input, const QString &message)
    {
        QTest::newRow(name) << input << false << QString() << QString() << QString() << QString()
                            << QString() << message;
    }
};

void tst_ImageReference::parse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("digest");
    QTest::addColumn<QString>("familiar");
    QTest::addColumn<QString>("error");

    const QString hub = QStringLiteral("docker.io");
    const QString d = QStringLiteral("sha256:") + hex64();
    const QString d512 = QStringLiteral("sha512:") + hex128();

    // Every image reference of the Docker course Berth's first users follow (`docker pull`,
    // `login`, `push`, `save/load`, `export/import`).
    ok(u"node"_s, hub, u"library/node"_s, u"latest"_s, {}, u"node:latest"_s);
    ok(u"node:15.0.1-alpine3.10"_s,
       hub,
       u"library/node"_s,
       u"15.0.1-alpine3.10"_s,
       {},
       u"node:15.0.1-alpine3.10"_s);
    ok(u"node:15.0-alpine3.10"_s,
       hub,
       u"library/node"_s,
       u"15.0-alpine3.10"_s,
       {},
       u"node:15.0-alpine3.10"_s);
    ok(u"node:15-alpine3.10"_s,
       hub,
       u"library/node"_s,
       u"15-alpine3.10"_s,
       {},
       u"node:15-alpine3.10"_s);
    ok(u"node:alpine3.10"_s, hub, u"library/node"_s, u"alpine3.10"_s, {}, u"node:alpine3.10"_s);
    ok(u"node:current-alpine3.10"_s,
       hub,
       u"library/node"_s,
       u"current-alpine3.10"_s,
       {},
       u"node:current-alpine3.10"_s);
    ok(u"redis"_s, hub, u"library/redis"_s, u"latest"_s, {}, u"redis:latest"_s);
    ok(u"nginx"_s, hub, u"library/nginx"_s, u"latest"_s, {}, u"nginx:latest"_s);
    ok(u"jean/mon-app:1.0.0"_s, hub, u"jean/mon-app"_s, u"1.0.0"_s, {}, u"jean/mon-app:1.0.0"_s);
    ok(u"mon_image"_s, hub, u"library/mon_image"_s, u"latest"_s, {}, u"mon_image:latest"_s);
    ok(u"utilisateur/nom"_s,
       hub,
       u"utilisateur/nom"_s,
       u"latest"_s,
       {},
       u"utilisateur/nom:latest"_s);
    ok(u"utilisateur/repository:version"_s,
       hub,
       u"utilisateur/repository"_s,
       u"version"_s,
       {},
       u"utilisateur/repository:version"_s);
    // The course writes "mongoDB" in prose; as a reference it is refused, and says why.
    error("seed: mongoDB", u"mongoDB"_s, u"repository name must be lowercase: 'mongoDB'"_s);
    // `docker image import` takes a URL; it is not an image reference.
    error("seed: import URL",
          u"http://exemple.com/exampleimage.tgz"_s,
          u"invalid registry name 'http:'"_s);

    // Docker Hub normalisation.
    ok(u"node:15"_s, hub, u"library/node"_s, u"15"_s, {}, u"node:15"_s);
    ok(u"library/node"_s, hub, u"library/node"_s, u"latest"_s, {}, u"node:latest"_s);
    ok(u"docker.io/library/node"_s, hub, u"library/node"_s, u"latest"_s, {}, u"node:latest"_s);
    ok(u"docker.io/node"_s, hub, u"library/node"_s, u"latest"_s, {}, u"node:latest"_s);
    ok(u"index.docker.io/foo"_s, hub, u"library/foo"_s, u"latest"_s, {}, u"foo:latest"_s);
    ok(u"index.docker.io/jean/app:1"_s, hub, u"jean/app"_s, u"1"_s, {}, u"jean/app:1"_s);
    ok(u"docker.io/jean/app:1"_s, hub, u"jean/app"_s, u"1"_s, {}, u"jean/app:1"_s);
    // A Hub path whose first part reads as a host keeps docker.io/ in its familiar form, or the
    // familiar form would name that host (found by fuzz_reference).
    ok(u"index.docker.io/l.io/library/bu"_s,
       hub,
       u"l.io/library/bu"_s,
       u"latest"_s,
       {},
       u"docker.io/l.io/library/bu:latest"_s);
    ok(u"docker.io/localhost/app:1"_s,
       hub,
       u"localhost/app"_s,
       u"1"_s,
       {},
       u"docker.io/localhost/app:1"_s);
    ok(u"Docker.IO/node"_s, hub, u"library/node"_s, u"latest"_s, {}, u"node:latest"_s);
    ok(u"library/a/b"_s, hub, u"library/a/b"_s, u"latest"_s, {}, u"library/a/b:latest"_s);
    ok(u"a/b/c/d/e/f"_s, hub, u"a/b/c/d/e/f"_s, u"latest"_s, {}, u"a/b/c/d/e/f:latest"_s);
    // A lone "localhost" or "example.com" is a repository name, not a registry.
    ok(u"localhost"_s, hub, u"library/localhost"_s, u"latest"_s, {}, u"localhost:latest"_s);
    ok(u"localhost:5000"_s, hub, u"library/localhost"_s, u"5000"_s, {}, u"localhost:5000"_s);
    ok(u"example.com"_s, hub, u"library/example.com"_s, u"latest"_s, {}, u"example.com:latest"_s);

    // Registries: a first component with '.', ':', "localhost" or an uppercase letter.
    ok(u"localhost:5000/team/app@"_s + d,
       u"localhost:5000"_s,
       u"team/app"_s,
       {},
       d,
       u"localhost:5000/team/app@"_s + d);
    ok(u"[::1]:5000/x:y"_s, u"[::1]:5000"_s, u"x"_s, u"y"_s, {}, u"[::1]:5000/x:y"_s);
    ok(u"[::1]/x"_s, u"[::1]"_s, u"x"_s, u"latest"_s, {}, u"[::1]/x:latest"_s);
    ok(u"[2001:db8::1]:443/ns/app:v1"_s,
       u"[2001:db8::1]:443"_s,
       u"ns/app"_s,
       u"v1"_s,
       {},
       u"[2001:db8::1]:443/ns/app:v1"_s);
    ok(u"[2001:DB8::A]/x"_s,
       u"[2001:DB8::A]"_s,
       u"x"_s,
       u"latest"_s,
       {},
       u"[2001:DB8::A]/x:latest"_s);
    ok(u"localhost/app"_s, u"localhost"_s, u"app"_s, u"latest"_s, {}, u"localhost/app:latest"_s);
    ok(u"127.0.0.1:5000/busybox:1.36"_s,
       u"127.0.0.1:5000"_s,
       u"busybox"_s,
       u"1.36"_s,
       {},
       u"127.0.0.1:5000/busybox:1.36"_s);
    ok(u"example.com:8080/a/b/c:tag@"_s + d,
       u"example.com:8080"_s,
       u"a/b/c"_s,
       u"tag"_s,
       d,
       u"example.com:8080/a/b/c:tag@"_s + d);
    ok(u"ghcr.io/owner/repo:v1.2.3"_s,
       u"ghcr.io"_s,
       u"owner/repo"_s,
       u"v1.2.3"_s,
       {},
       u"ghcr.io/owner/repo:v1.2.3"_s);
    ok(u"quay.io/prometheus/node-exporter"_s,
       u"quay.io"_s,
       u"prometheus/node-exporter"_s,
       u"latest"_s,
       {},
       u"quay.io/prometheus/node-exporter:latest"_s);
    ok(u"registry.gitlab.com/group/sub/project/image:main"_s,
       u"registry.gitlab.com"_s,
       u"group/sub/project/image"_s,
       u"main"_s,
       {},
       u"registry.gitlab.com/group/sub/project/image:main"_s);
    ok(u"my-registry.local:5000/x/y"_s,
       u"my-registry.local:5000"_s,
       u"x/y"_s,
       u"latest"_s,
       {},
       u"my-registry.local:5000/x/y:latest"_s);
    ok(u"REGISTRY.Example.com/x"_s,
       u"REGISTRY.Example.com"_s,
       u"x"_s,
       u"latest"_s,
       {},
       u"REGISTRY.Example.com/x:latest"_s);
    // An uppercase first component is a registry, as docker reads it: the path may stay lowercase.
    ok(u"Jean/app"_s, u"Jean"_s, u"app"_s, u"latest"_s, {}, u"Jean/app:latest"_s);
    ok(u"a.b/c"_s, u"a.b"_s, u"c"_s, u"latest"_s, {}, u"a.b/c:latest"_s);
    ok(u"host:65535/x"_s, u"host:65535"_s, u"x"_s, u"latest"_s, {}, u"host:65535/x:latest"_s);
    ok(u"1.2.3.4/x"_s, u"1.2.3.4"_s, u"x"_s, u"latest"_s, {}, u"1.2.3.4/x:latest"_s);

    // Digests with and without tags.
    ok(u"node@"_s + d, hub, u"library/node"_s, {}, d, u"node@"_s + d);
    ok(u"node:15@"_s + d, hub, u"library/node"_s, u"15"_s, d, u"node:15@"_s + d);
    ok(u"jean/app@"_s + d, hub, u"jean/app"_s, {}, d, u"jean/app@"_s + d);
    ok(u"node@"_s + d512, hub, u"library/node"_s, {}, d512, u"node@"_s + d512);

    // Path component separators.
    ok(u"a__b"_s, hub, u"library/a__b"_s, u"latest"_s, {}, u"a__b:latest"_s);
    ok(u"a--b"_s, hub, u"library/a--b"_s, u"latest"_s, {}, u"a--b:latest"_s);
    ok(u"a---b"_s, hub, u"library/a---b"_s, u"latest"_s, {}, u"a---b:latest"_s);
    ok(u"a.b_c-d__e"_s, hub, u"library/a.b_c-d__e"_s, u"latest"_s, {}, u"a.b_c-d__e:latest"_s);
    ok(u"0"_s, hub, u"library/0"_s, u"latest"_s, {}, u"0:latest"_s);
    ok(u"9to5/x1"_s, hub, u"9to5/x1"_s, u"latest"_s, {}, u"9to5/x1:latest"_s);

    // Tags.
    ok(u"node:"_s + repeated(u'a', 128),
       hub,
       u"library/node"_s,
       repeated(u'a', 128),
       {},
       u"node:"_s + repeated(u'a', 128));
    ok(u"node:_private"_s, hub, u"library/node"_s, u"_private"_s, {}, u"node:_private"_s);
    ok(u"node:UPPER.case-1_2"_s,
       hub,
       u"library/node"_s,
       u"UPPER.case-1_2"_s,
       {},
       u"node:UPPER.case-1_2"_s);
    ok(u"node:1.0.."_s, hub, u"library/node"_s, u"1.0.."_s, {}, u"node:1.0.."_s);

    // Length: the repository path (what the registry sees) is bounded at 255.
    ok(u"example.com/"_s + repeated(u'a', 255),
       u"example.com"_s,
       repeated(u'a', 255),
       u"latest"_s,
       {},
       u"example.com/"_s + repeated(u'a', 255) + u":latest"_s);
    ok(u"example.com/"_s + repeated(u'a', 127) + u'/' + repeated(u'b', 127),
       u"example.com"_s,
       repeated(u'a', 127) + u'/' + repeated(u'b', 127),
       u"latest"_s,
       {},
       u"example.com/"_s + repeated(u'a', 127) + u'/' + repeated(u'b', 127) + u":latest"_s);
    ok(repeated(u'a', 247),
       hub,
       u"library/"_s + repeated(u'a', 247),
       u"latest"_s,
       {},
       repeated(u'a', 247) + u":latest"_s);
    error("path of 256",
          u"example.com/"_s + repeated(u'a', 256),
          u"repository name is longer than 255 characters"_s);
    error("path of 256 in two parts",
          u"example.com/"_s + repeated(u'a', 128) + u'/' + repeated(u'b', 127),
          u"has 256"_s);
    error("library/ counts", repeated(u'a', 248), u"repository name is longer than 255"_s);

    // Uppercase paths.
    error("Node", u"Node"_s, u"repository name must be lowercase: 'Node'"_s);
    error(
        "jean/Mon-App", u"jean/Mon-App"_s, u"repository name must be lowercase: 'jean/Mon-App'"_s);
    error("host/Upper", u"ghcr.io/Owner/repo:1"_s, u"must be lowercase: 'Owner/repo'"_s);
    error("Jean/App", u"Jean/App"_s, u"must be lowercase: 'App'"_s);
    error("NODE:15", u"NODE:15"_s, u"must be lowercase: 'NODE'"_s);

    // Malformed paths.
    error("empty", QString(), u"the image reference is empty"_s);
    error("a..b", u"a..b"_s, u"'a..b' is not a valid repository name component"_s);
    error("a___b", u"a___b"_s, u"'a___b' is not a valid"_s);
    error("a._b", u"a._b"_s, u"'a._b' is not a valid"_s);
    error("-a", u"-a"_s, u"'-a' is not a valid"_s);
    error("a-", u"a-"_s, u"'a-' is not a valid"_s);
    error("_a", u"_a"_s, u"'_a' is not a valid"_s);
    error(".a", u".a"_s, u"'.a' is not a valid"_s);
    error("a.", u"jean/a."_s, u"'a.' is not a valid"_s);
    error("a//b", u"a//b"_s, u"empty path component in 'a//b'"_s);
    error("/a", u"/a"_s, u"empty path component"_s);
    error("a/", u"a/"_s, u"empty path component"_s);
    error("registry only", u"docker.io/"_s, u"the repository name is empty"_s);
    error("space", u"a b"_s, u"'a b' is not a valid"_s);
    error("leading space", u" node"_s, u"' node' is not a valid"_s);
    error("newline", u"node\n"_s, u"is not a valid"_s);
    error("non-ASCII", u"nöde"_s, u"'nöde' is not a valid"_s);
    error("64 hex", hex64(), u"is an image ID, not a repository name"_s);
    error("too long", repeated(u'a', 5000), u"5000 characters long"_s);

    // Tags and separators.
    error("trailing colon", u"node:"_s, u"nothing after ':'"_s);
    error("trailing colon with registry", u"localhost:5000/x:"_s, u"nothing after ':'"_s);
    error("tag only", u":15"_s, u"has no repository name"_s);
    error("tag of 129", u"node:"_s + repeated(u'a', 129), u"at most 128 characters"_s);
    error("tag with space", u"node:x y"_s, u"invalid tag 'x y': ' ' is not allowed"_s);
    error("tag starts with dash", u"node:-x"_s, u"must start with a letter, a digit or '_'"_s);
    error("tag starts with dot", u"node:.x"_s, u"must start with"_s);
    // The ':' is before the last '/', so it reads as a registry port, as docker reads it.
    error("colon before slash", u"node:a/b"_s, u"invalid registry name 'node:a': the port"_s);
    error("two tags", u"node:1:2"_s, u"'node:1' is not a valid"_s);
    error("emoji first in tag", u"node:\U0001F600"_s, u"must start with"_s);
    error("emoji in tag", u"node:x\U0001F600"_s, u"'\U0001F600' is not allowed"_s);
    error("trailing newline in tag", u"node:15\n"_s, u"is not allowed"_s);

    // Digests.
    error("nothing after @", u"node@"_s, u"nothing after '@'"_s);
    error("digest only", u"@"_s + d, u"has no repository name"_s);
    error("short digest",
          u"node@sha256:abc"_s,
          u"expected 64 hexadecimal characters after 'sha256:', found 3"_s);
    error("65 hex", u"node@"_s + d + u'0', u"found 65"_s);
    error("uppercase hex",
          u"node@sha256:"_s + hex64().toUpper(),
          u"expected 64 hexadecimal characters after 'sha256:' (0-9 and lowercase a-f only)"_s);
    error("non-hex", u"node@sha256:"_s + repeated(u'z', 64), u"0-9 and lowercase a-f"_s);
    error("no algorithm", u"node@"_s + hex64(), u"expected 'sha256:' followed by 64"_s);
    error("empty algorithm", u"node@:"_s + hex64(), u"expected 'sha256:'"_s);
    error("md5",
          u"node@md5:d41d8cd98f00b204e9800998ecf8427e"_s,
          u"unsupported digest algorithm 'md5'"_s);
    error("SHA256", u"node@SHA256:"_s + hex64(), u"unsupported digest algorithm 'SHA256'"_s);
    error("sha512 of 64", u"node@sha512:"_s + hex64(), u"expected 128 hexadecimal"_s);
    error("two digests", u"node@"_s + d + u'@' + d, u"invalid digest"_s);
    error("digest then tag", u"node@"_s + d + u":15"_s, u"invalid digest"_s);

    // Registries.
    error("empty port", u"localhost:/x"_s, u"the port must be a number"_s);
    error("port 0", u"localhost:0/x"_s, u"from 1 to 65535"_s);
    error("port too big", u"localhost:65536/x"_s, u"from 1 to 65535"_s);
    error("port not digits", u"example.com:80a/x"_s, u"the port must be a number"_s);
    error("huge port", u"example.com:99999999999999999999/x"_s, u"the port"_s);
    error("unclosed IPv6", u"[::1/x"_s, u"missing ']'"_s);
    error("IPv6 junk", u"[::1]x:5/y"_s, u"unexpected 'x:5' after the IPv6 address"_s);
    error("IPv6 not hex", u"[zz::1]:5000/x"_s, u"is not an IPv6 address"_s);
    error("empty IPv6", u"[]:5000/x"_s, u"is not an IPv6 address"_s);
    error("domain starts with dash", u"-example.com/x"_s, u"'-example' is not a valid host"_s);
    error("domain ends with dash", u"example-.com/x"_s, u"'example-' is not a valid host"_s);
    error("double dot in domain", u"example..com/x"_s, u"empty part between dots"_s);
    error("trailing dot in domain", u"example.com./x"_s, u"empty part between dots"_s);
    error("underscore in domain", u"exa_mple.com/x"_s, u"'exa_mple' is not a valid host"_s);
    error("port without host", u":5000/x"_s, u"the host name is empty"_s);
    error("https scheme", u"https://ghcr.io/x"_s, u"invalid registry name 'https:'"_s);
}

void tst_ImageReference::parse()
{
    QFETCH(QString, input);
    QFETCH(bool, valid);

    const auto ref = ImageReference::parse(input);
    if (!valid) {
        QFETCH(QString, error);
        QVERIFY2(!ref,
                 qPrintable(QString(u"accepted as "_s + (ref ? ref->toString() : QString()))));
        QCOMPARE(ref.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(ref.error().message.contains(error), qPrintable(ref.error().message));
        return;
    }
    QFETCH(QString, domain);
    QFETCH(QString, path);
    QFETCH(QString, tag);
    QFETCH(QString, digest);
    QFETCH(QString, familiar);
    QVERIFY2(ref, errorText(ref).constData());
    QVERIFY(ref->isValid());
    QCOMPARE(ref->domain(), domain);
    QCOMPARE(ref->path(), path);
    QCOMPARE(ref->tag(), tag);
    QCOMPARE(ref->digest().toString(), digest);
    QCOMPARE(ref->hasDigest(), !digest.isEmpty());
    QCOMPARE(ref->repository(), domain + u'/' + path);
    QString full = domain + u'/' + path;
    if (!tag.isEmpty())
        full += u':' + tag;
    if (!digest.isEmpty())
        full += u'@' + digest;
    QCOMPARE(ref->toString(), full);
    QCOMPARE(ref->familiarString(), familiar);
    QCOMPARE(ref->reference(), digest.isEmpty() ? tag : digest);
    QVERIFY(familiar.startsWith(ref->familiarRepository()));
}

void tst_ImageReference::roundTrip_data()
{
    parse_data();
}

// What Berth prints must parse back to the same reference, in both long and short forms.
void tst_ImageReference::roundTrip()
{
    QFETCH(QString, input);
    QFETCH(bool, valid);
    if (!valid)
        return;
    const auto ref = ImageReference::parse(input);
    QVERIFY(ref);
    const auto full = ImageReference::parse(ref->toString());
    QVERIFY2(full, errorText(full).constData());
    QCOMPARE(*full, *ref);
    const auto familiar = ImageReference::parse(ref->familiarString());
    QVERIFY2(familiar, errorText(familiar).constData());
    QCOMPARE(*familiar, *ref);
}

void tst_ImageReference::digest_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("algorithm"); // empty: refused
    QTest::addColumn<QString>("error");

    const QString h = hex64();
    QTest::newRow("sha256") << u"sha256:"_s + h << u"sha256"_s << QString();
    QTest::newRow("sha512") << u"sha512:"_s + hex128() << u"sha512"_s << QString();
    QTest::newRow("empty") << QString() << QString() << u"expected 'sha256:' followed by 64"_s;
    QTest::newRow("colon only") << u":"_s << QString() << u"expected 'sha256:'"_s;
    QTest::newRow("no hex") << u"sha256:"_s << QString() << u"found 0"_s;
    QTest::newRow("63") << u"sha256:"_s + h.left(63) << QString() << u"found 63"_s;
    QTest::newRow("65") << u"sha256:"_s + h + u'a' << QString() << u"found 65"_s;
    QTest::newRow("uppercase") << u"sha256:"_s + h.toUpper() << QString()
                               << u"lowercase a-f only"_s;
    QTest::newRow("g") << u"sha256:"_s + h.left(63) + u'g' << QString() << u"lowercase a-f"_s;
    QTest::newRow("space") << u"sha256: "_s + h.left(63) << QString() << u"lowercase a-f"_s;
    QTest::newRow("sha384") << u"sha384:"_s + h << QString() << u"unsupported digest algorithm"_s;
    QTest::newRow("sha256+b64") << u"sha256+b64:"_s + h << QString()
                                << u"unsupported digest algorithm"_s;
    QTest::newRow("hex only") << h << QString() << u"expected 'sha256:'"_s;
    QTest::newRow("long quoted is cut")
        << u"sha256:"_s + repeated(u'a', 500) << QString() << u"…'"_s;
}

void tst_ImageReference::digest()
{
    QFETCH(QString, input);
    QFETCH(QString, algorithm);
    QFETCH(QString, error);
    const auto digest = Digest::parse(input);
    if (algorithm.isEmpty()) {
        QVERIFY(!digest);
        QCOMPARE(digest.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(digest.error().message.contains(error), qPrintable(digest.error().message));
        QVERIFY(digest.error().message.size() < 400);
        return;
    }
    QVERIFY2(digest, errorText(digest).constData());
    QVERIFY(digest->isValid());
    QCOMPARE(digest->algorithm(), algorithm);
    QCOMPARE(digest->toString(), input);
    QCOMPARE(digest->encoded(), input.sliced(algorithm.size() + 1));
    QCOMPARE(digest->shortId(), digest->encoded().left(12));
    QCOMPARE(*Digest::parse(digest->toString()), *digest);
}

void tst_ImageReference::validateTag_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<bool>("valid");

    QTest::newRow("latest") << u"latest"_s << true;
    QTest::newRow("semver") << u"1.0.0"_s << true;
    QTest::newRow("alpine") << u"15.0.1-alpine3.10"_s << true;
    QTest::newRow("underscore first") << u"_x"_s << true;
    QTest::newRow("digit first") << u"0"_s << true;
    QTest::newRow("uppercase") << u"RC1"_s << true;
    QTest::newRow("128") << repeated(u'x', 128) << true;
    QTest::newRow("129") << repeated(u'x', 129) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("dash first") << u"-x"_s << false;
    QTest::newRow("dot first") << u".x"_s << false;
    QTest::newRow("colon") << u"a:b"_s << false;
    QTest::newRow("at") << u"a@b"_s << false;
    QTest::newRow("slash") << u"a/b"_s << false;
    QTest::newRow("plus") << u"1.0+build"_s << false;
    QTest::newRow("space") << u"a b"_s << false;
    QTest::newRow("tab") << u"a\tb"_s << false;
    QTest::newRow("accent") << u"été"_s << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << false;
}

void tst_ImageReference::validateTag()
{
    QFETCH(QString, tag);
    QFETCH(bool, valid);
    const Status status = ImageReference::validateTag(tag);
    QCOMPARE(bool(status), valid);
    if (!valid) {
        QCOMPARE(status.error().kind, Error::Kind::InvalidArgument);
        QVERIFY(status.error().message.startsWith(u"invalid tag"));
    }
}

void tst_ImageReference::normalizeRegistry_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("expected");

    QTest::newRow("config.json hub key") << u"https://index.docker.io/v1/"_s << u"docker.io"_s;
    QTest::newRow("index.docker.io") << u"index.docker.io"_s << u"docker.io"_s;
    QTest::newRow("registry-1") << u"registry-1.docker.io"_s << u"docker.io"_s;
    QTest::newRow("docker.io") << u"docker.io"_s << u"docker.io"_s;
    QTest::newRow("registry.hub") << u"registry.hub.docker.com"_s << u"docker.io"_s;
    QTest::newRow("hub uppercase") << u"HTTPS://Index.Docker.IO/v1/"_s << u"docker.io"_s;
    QTest::newRow("empty is hub") << QString() << u"docker.io"_s;
    QTest::newRow("localhost http") << u"http://localhost:5000/"_s << u"localhost:5000"_s;
    QTest::newRow("plain host") << u"ghcr.io"_s << u"ghcr.io"_s;
    QTest::newRow("uppercase host") << u"HTTPS://GHCR.IO"_s << u"ghcr.io"_s;
    QTest::newRow("path") << u"ghcr.io/v2/"_s << u"ghcr.io"_s;
    QTest::newRow("spaces") << u"  quay.io  "_s << u"quay.io"_s;
    QTest::newRow("port kept") << u"Registry.Example.com:443"_s << u"registry.example.com:443"_s;
    QTest::newRow("ipv6") << u"http://[::1]:5000/v2/"_s << u"[::1]:5000"_s;
    QTest::newRow("loopback") << u"127.0.0.1:5000"_s << u"127.0.0.1:5000"_s;
}

void tst_ImageReference::normalizeRegistry()
{
    QFETCH(QString, server);
    QFETCH(QString, expected);
    QCOMPARE(ImageReference::normalizeRegistry(server), expected);
    QCOMPARE(ImageReference::normalizeRegistry(expected), expected);
}

void tst_ImageReference::registryHost_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("hub");

    QTest::newRow("official") << u"node"_s << u"registry-1.docker.io"_s << true;
    QTest::newRow("user") << u"jean/mon-app:1.0.0"_s << u"registry-1.docker.io"_s << true;
    QTest::newRow("legacy") << u"index.docker.io/foo"_s << u"registry-1.docker.io"_s << true;
    QTest::newRow("ghcr") << u"ghcr.io/x/y"_s << u"ghcr.io"_s << false;
    QTest::newRow("local") << u"localhost:5000/x"_s << u"localhost:5000"_s << false;
    QTest::newRow("ipv6") << u"[::1]:5000/x:y"_s << u"[::1]:5000"_s << false;
}

void tst_ImageReference::registryHost()
{
    QFETCH(QString, input);
    QFETCH(QString, host);
    QFETCH(bool, hub);
    const auto ref = ImageReference::parse(input);
    QVERIFY(ref);
    QCOMPARE(ref->registryHost(), host);
    QCOMPARE(ref->isDockerHub(), hub);
}

void tst_ImageReference::parseRepository_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("repository"); // empty: refused
    QTest::addColumn<QString>("familiar");

    QTest::newRow("official") << u"node"_s << u"docker.io/library/node"_s << u"node"_s;
    QTest::newRow("user") << u"jean/mon-app"_s << u"docker.io/jean/mon-app"_s << u"jean/mon-app"_s;
    QTest::newRow("registry") << u"localhost:5000/team/app"_s << u"localhost:5000/team/app"_s
                              << u"localhost:5000/team/app"_s;
    QTest::newRow("ipv6") << u"[::1]:5000/x"_s << u"[::1]:5000/x"_s << u"[::1]:5000/x"_s;
    QTest::newRow("tag refused") << u"node:15"_s << QString() << QString();
    QTest::newRow("digest refused") << u"node@sha256:"_s + hex64() << QString() << QString();
    QTest::newRow("uppercase refused") << u"Node"_s << QString() << QString();
    QTest::newRow("empty refused") << QString() << QString() << QString();
}

void tst_ImageReference::parseRepository()
{
    QFETCH(QString, input);
    QFETCH(QString, repository);
    QFETCH(QString, familiar);
    const auto ref = ImageReference::parseRepository(input);
    if (repository.isEmpty()) {
        QVERIFY(!ref);
        QCOMPARE(ref.error().kind, Error::Kind::InvalidArgument);
        return;
    }
    QVERIFY2(ref, errorText(ref).constData());
    QCOMPARE(ref->repository(), repository);
    QVERIFY(ref->tag().isEmpty());
    QVERIFY(!ref->hasDigest());
    QCOMPARE(ref->toString(), repository);
    QCOMPARE(ref->familiarRepository(), familiar);
    QCOMPARE(ref->familiarString(), familiar);
}

void tst_ImageReference::withTagAndDigest()
{
    const Digest digest = *Digest::parse(QString(u"sha256:"_s + hex64()));
    const ImageReference node = *ImageReference::parse(u"node:15"_s);

    const ImageReference pinned = node.withDigest(digest);
    QCOMPARE(pinned.tag(), u"15"_s);
    QCOMPARE(pinned.digest(), digest);
    QCOMPARE(pinned.reference(), digest.toString());
    QCOMPARE(pinned.familiarString(), u"node:15@"_s + digest.toString());
    QCOMPARE(pinned.toString(), u"docker.io/library/node:15@"_s + digest.toString());

    const ImageReference retagged = pinned.withTag(u"20-alpine"_s);
    QVERIFY(!retagged.hasDigest());
    QCOMPARE(retagged.toString(), u"docker.io/library/node:20-alpine"_s);
    QCOMPARE(retagged.reference(), u"20-alpine"_s);
    QCOMPARE(node.tag(), u"15"_s); // the original is untouched
}

void tst_ImageReference::defaultIsInvalid()
{
    const ImageReference ref;
    QVERIFY(!ref.isValid());
    QVERIFY(!Digest().isValid());
    QCOMPARE(Digest().toString(), QString());
}

QTEST_GUILESS_MAIN(tst_ImageReference)
#include "tst_imagereference.moc"
