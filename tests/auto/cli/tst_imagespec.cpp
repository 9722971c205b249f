// How berthctl's look-inside verbs read IMAGE, cp's IMAGE:/PATH and a PATH inside an image:
// every accepted form, every refused one, and the escapes `ls` shows undone byte for byte.
#include "imagespec.h"

#include "contents/contentsentry.h"

#include <QTest>

using namespace Berth;
using namespace Berth::Cli;
using namespace Qt::StringLiterals;

class TestImageSpec final : public QObject
{
    Q_OBJECT

private slots:
    void imageSpec_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("local");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("first");  // reference, local name or archive file
        QTest::addColumn<QString>("second"); // archive image
        const int registry = int(ImageSpec::Kind::Registry);
        const int local = int(ImageSpec::Kind::Local);
        const int archive = int(ImageSpec::Kind::Archive);
        QTest::newRow("short name") << u"debian:12"_s << false << true << registry
                                    << u"docker.io/library/debian:12"_s << QString();
        QTest::newRow("registry with port")
            << u"127.0.0.1:5000/berth/app:1.0"_s << false << true << registry
            << u"127.0.0.1:5000/berth/app:1.0"_s << QString();
        QTest::newRow("digest")
            << u"127.0.0.1:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s
            << false << true << registry
            << u"127.0.0.1:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s
            << QString();
        QTest::newRow("bad reference")
            << u"Not A Reference"_s << false << false << registry << QString() << QString();
        QTest::newRow("empty") << QString() << false << false << registry << QString() << QString();
        QTest::newRow("local name")
            << u"app:1.0"_s << true << true << local << u"app:1.0"_s << QString();
        QTest::newRow("local ID") << u"3f2a1b"_s << true << true << local << u"3f2a1b"_s
                                  << QString();
        QTest::newRow("archive") << u"archive:/tmp/app.tar"_s << false << true << archive
                                 << u"/tmp/app.tar"_s << QString();
        QTest::newRow("archive, relative")
            << u"archive:app.tar.gz"_s << false << true << archive << u"app.tar.gz"_s << QString();
        QTest::newRow("archive with image") << u"archive:/tmp/app.tar:app:1.0"_s << false << true
                                            << archive << u"/tmp/app.tar"_s << u"app:1.0"_s;
        QTest::newRow("archive wins over --backend")
            << u"archive:a.tar:x"_s << true << true << archive << u"a.tar"_s << u"x"_s;
        QTest::newRow("archive without file")
            << u"archive:"_s << false << false << archive << QString() << QString();
        QTest::newRow("archive with empty image")
            << u"archive:a.tar:"_s << false << false << archive << QString() << QString();
    }

    void imageSpec()
    {
        QFETCH(QString, text);
        QFETCH(bool, local);
        QFETCH(bool, valid);
        QFETCH(int, kind);
        QFETCH(QString, first);
        QFETCH(QString, second);
        const auto spec = parseImageSpec(text, local);
        QCOMPARE(bool(spec), valid);
        if (!valid) {
            QVERIFY(!spec.error().message.isEmpty());
            QCOMPARE(spec.error().kind, Error::Kind::InvalidArgument);
            return;
        }
        QCOMPARE(int(spec->kind), kind);
        QCOMPARE(spec->text, text);
        switch (spec->kind) {
        case ImageSpec::Kind::Registry:
            QCOMPARE(spec->reference.toString(), first);
            break;
        case ImageSpec::Kind::Local:
            QCOMPARE(spec->local, first);
            break;
        case ImageSpec::Kind::Archive:
            QCOMPARE(spec->file, first);
            QCOMPARE(spec->image, second);
            break;
        }
    }

    void imagePathSplit_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("path");
        QTest::newRow("name:tag") << u"debian:12:/etc/os-release"_s << true << u"debian:12"_s
                                  << u"/etc/os-release"_s;
        QTest::newRow("no tag") << u"debian:/etc"_s << true << u"debian"_s << u"/etc"_s;
        QTest::newRow("port and tag")
            << u"127.0.0.1:5000/a/b:1.0:/x/y"_s << true << u"127.0.0.1:5000/a/b:1.0"_s << u"/x/y"_s;
        QTest::newRow("port, no tag")
            << u"localhost:5000/app:/"_s << true << u"localhost:5000/app"_s << u"/"_s;
        QTest::newRow("digest")
            << u"app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:/a"_s
            << true
            << u"app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s
            << u"/a"_s;
        QTest::newRow("archive") << u"archive:/tmp/a.tar:/etc"_s << true << u"archive:/tmp/a.tar"_s
                                 << u"/etc"_s;
        QTest::newRow("archive with image") << u"archive:/tmp/a.tar:app:1.0:/etc/ssl/."_s << true
                                            << u"archive:/tmp/a.tar:app:1.0"_s << u"/etc/ssl/."_s;
        QTest::newRow("path with colons") << u"app:1:/a:/b"_s << true << u"app:1"_s << u"/a:/b"_s;
        QTest::newRow("relative path") << u"debian:12:etc"_s << false << QString() << QString();
        QTest::newRow("no path") << u"debian:12"_s << false << QString() << QString();
        QTest::newRow("no image") << u":/etc"_s << false << QString() << QString();
    }

    void imagePathSplit()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, image);
        QFETCH(QString, path);
        const auto split = splitImagePath(text);
        QCOMPARE(bool(split), valid);
        if (!valid) {
            QVERIFY(split.error().message.contains(text));
            return;
        }
        QCOMPARE(split->image, image);
        QCOMPARE(split->path, path);
    }

    void imagePath_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("trailingSlash");
        QTest::newRow("root") << u"/"_s << true << QByteArray() << true;
        QTest::newRow("empty") << QString() << true << QByteArray() << false;
        QTest::newRow("absolute") << u"/etc/passwd"_s << true << QByteArray("etc/passwd") << false;
        QTest::newRow("relative") << u"etc/passwd"_s << true << QByteArray("etc/passwd") << false;
        QTest::newRow("trailing slash") << u"/usr/bin/"_s << true << QByteArray("usr/bin") << true;
        QTest::newRow("dot suffix") << u"/etc/ssl/."_s << true << QByteArray("etc/ssl") << true;
        QTest::newRow("dots and doubles")
            << u"//a/./b//c"_s << true << QByteArray("a/b/c") << false;
        QTest::newRow("dot-dot") << u"/a/b/../c"_s << true << QByteArray("a/c") << false;
        QTest::newRow("dot-dot never above the root")
            << u"/../../etc/passwd"_s << true << QByteArray("etc/passwd") << false;
        QTest::newRow("UTF-8") << u"/café/日本"_s << true
                               << QByteArray("caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac") << false;
        QTest::newRow("byte escape")
            << u"/bad\\xff\\xFEname"_s << true << QByteArray("bad\xff\xfename") << false;
        QTest::newRow("control escape")
            << u"/a\\x1b[2J"_s << true << QByteArray("a\x1b[2J") << false;
        QTest::newRow("backslash")
            << u"/back\\\\slash"_s << true << QByteArray("back\\slash") << false;
        QTest::newRow("escaped slash is a byte, not a separator")
            << u"/a\\x2fb"_s << true << QByteArray("a/b") << false;
        QTest::newRow("lone backslash") << u"/a\\b"_s << false << QByteArray() << false;
        QTest::newRow("short escape") << u"/a\\x4"_s << false << QByteArray() << false;
        QTest::newRow("bad hex") << u"/a\\xzz"_s << false << QByteArray() << false;
        QTest::newRow("NUL") << u"/a\\x00b"_s << false << QByteArray() << false;
    }

    void imagePath()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QByteArray, path);
        QFETCH(bool, trailingSlash);
        const auto parsed = parseImagePath(text);
        QCOMPARE(bool(parsed), valid);
        if (!valid) {
            QCOMPARE(parsed.error().kind, Error::Kind::InvalidArgument);
            return;
        }
        QCOMPARE(parsed->path, path);
        QCOMPARE(parsed->trailingSlash, trailingSlash);
    }

    // What ls shows, given back to cat or cp, names the same bytes: displayPath's escapes undone.
    void displayedPathsRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("plain") << QByteArray("etc/os-release");
        QTest::newRow("latin-1 byte") << QByteArray("caf\xe9");
        QTest::newRow("invalid UTF-8 run") << QByteArray("a\xff\xfe\x80z");
        QTest::newRow("control characters") << QByteArray("a\x1b[31m\x07\x7f");
        QTest::newRow("backslashes") << QByteArray("a\\b\\\\xff");
        QTest::newRow("valid UTF-8") << QByteArray("\xe6\x97\xa5/\xc3\xa9");
    }

    void displayedPathsRoundTrip()
    {
        QFETCH(QByteArray, raw);
        const auto parsed = parseImagePath(u'/' + displayPath(raw));
        QVERIFY(parsed);
        QCOMPARE(parsed->path, raw);
    }
};

QTEST_GUILESS_MAIN(TestImageSpec)
#include "tst_imagespec.moc"
