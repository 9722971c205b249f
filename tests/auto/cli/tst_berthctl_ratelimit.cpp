// berthctl ratelimit against the test services: the pull-limit front states one, the plain
// registry none; asking is a HEAD, never a pull.

#include "berthctlrunner.h"
#include "pulllimitfixture.h"
#include "testservices.h"

#include "common/localization.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

QJsonObject json(const CtlRun &run)
{
    return QJsonDocument::fromJson(run.out).object();
}

// A %n message as berthctl words it: the English plural forms come from the translations
// berthctl installs, installed here too.
QString plural(const char *source, int n)
{
    return QCoreApplication::translate("Berth::Cli", source, nullptr, n);
}

} // namespace

class tst_BerthctlRateLimit final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        installTranslations(QLocale(u"en"_s));
        m_front = PullLimitFront::instance();
        QVERIFY2(!m_front.host.isEmpty(), "services.json has no ratelimit front");
        QString problem;
        m_seeded = m_front.seedRepository(u"ratelimit/berthctl"_s, &problem);
        QVERIFY2(!m_seeded.isEmpty(), qPrintable(problem));
    }

    void text()
    {
        const CtlRun run = runBerthctl({u"ratelimit"_s, m_seeded});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(u"Registry:   "_s + m_front.host), qPrintable(out));
        const QString pulls = plural("%n pull(s)", m_front.limit);
        QVERIFY2(pulls.startsWith(QString::number(m_front.limit)), qPrintable(pulls));
        QVERIFY2(out.contains(u"Limit:      "_s + pulls), qPrintable(out));
        QVERIFY2(out.contains(u"Remaining:  "_s + pulls), qPrintable(out));
        QCOMPARE(m_front.window % 3600, 0);
        const QString window = plural("%n hour(s)", m_front.window / 3600)
                               + plural(" (%n second(s))", m_front.window);
        QVERIFY2(out.contains(u"Window:     "_s + window), qPrintable(out));
        QVERIFY2(out.contains(u"Source:     "_s + m_front.source), qPrintable(out));
    }

    void jsonOutput()
    {
        const CtlRun run = runBerthctl({u"ratelimit"_s, m_seeded, u"--format"_s, u"json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = ::json(run);
        QCOMPARE(o.value(u"registry").toString(), m_front.host);
        QCOMPARE(o.value(u"limit").toInt(-1), m_front.limit);
        QCOMPARE(o.value(u"remaining").toInt(-1), m_front.limit);
        QCOMPARE(o.value(u"window").toInt(-1), m_front.window);
        QCOMPARE(o.value(u"source").toString(), m_front.source);
    }

    // Every run above asked with a HEAD: the front never saw a GET of the manifest, so nothing
    // was counted as a pull.
    void askingIsNotAPull()
    {
        const QString repository = m_seeded.section(u'/', 1).section(u':', 0, 0);
        const QStringList requests = m_front.manifestRequests(repository);
        QVERIFY2(requests.filter(QRegularExpression(u"^HEAD "_s)).size() >= 2,
                 qPrintable(requests.join(u'\n')));
        QCOMPARE(requests.filter(QRegularExpression(u"^GET "_s)), QStringList());
    }

    void noLimitStated()
    {
        const auto &services = TestServices::instance();
        const QString plain = services.registry(u"plain"_s).host;
        const QString reference = plain + u'/'
                                  + services.image(u"busybox"_s).value(u"repository").toString()
                                  + u":1.0"_s;
        const CtlRun text = runBerthctl({u"ratelimit"_s, reference});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QCOMPARE(QString::fromUtf8(text.out).trimmed(), u"%1 states no pull limit."_s.arg(plain));

        const CtlRun run = runBerthctl({u"ratelimit"_s, reference, u"--format"_s, u"json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = ::json(run);
        QCOMPARE(o.value(u"registry").toString(), plain);
        for (const char *key : {"limit", "remaining", "window", "source"})
            QVERIFY2(o.contains(QLatin1String(key)) && o.value(QLatin1String(key)).isNull(), key);
    }

    void unknownImageFails()
    {
        const CtlRun run = runBerthctl({u"ratelimit"_s, m_front.host + u"/ratelimit/absent:1.0"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(!run.err.isEmpty());
    }

    void tooManyArguments()
    {
        const CtlRun run = runBerthctl({u"ratelimit"_s, u"a:1"_s, u"b:2"_s});
        QCOMPARE(run.exitCode, 2);
    }

private:
    PullLimitFront m_front;
    QString m_seeded;
};

QTEST_GUILESS_MAIN(tst_BerthctlRateLimit)
#include "tst_berthctl_ratelimit.moc"
