#include "common/humanize.h"
#include "common/localization.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "registry/registryerror.h"
#include "testpaths.h"

#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

const QString QmPath = u":/i18n/berth_fr.qm"_s;
const QString TsPath = QStringLiteral(BERTH_SOURCE_DIR "/translations/berth_fr.ts");
const QString EnglishTsPath = QStringLiteral(BERTH_SOURCE_DIR "/translations/berth_en.ts");

template<typename T>
QString errorOf(const Result<T> &result)
{
    return result ? u"(no error)"_s : result.error().message;
}

struct TsMessage
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString type;             // the translation's type attribute: "unfinished", "vanished"…
    QStringList translations; // one, or the numerus forms
};

QList<TsMessage> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<TsMessage> messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == u"context") {
                context.clear();
            } else if (name == u"name") {
                context = xml.readElementText();
            } else if (name == u"message") {
                message = TsMessage{
                    context, {}, {}, xml.attributes().value("numerus"_L1) == u"yes", {}, {}};
            } else if (name == u"source") {
                message.source = xml.readElementText();
            } else if (name == u"comment") {
                message.comment = xml.readElementText();
            } else if (name == u"translation") {
                message.type = xml.attributes().value("type"_L1).toString();
                if (!message.numerus)
                    message.translations.append(xml.readElementText());
            } else if (name == u"numerusform") {
                message.translations.append(xml.readElementText());
            }
        } else if (xml.isEndElement() && xml.name() == u"message") {
            messages.append(message);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression pattern(u"%(\\d+|n)"_s);
    QSet<QString> found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured());
    return found;
}

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void french_data();
    void french();
    void completeTs();
    void qmHasEveryMessage();
    void englishPlurals_data();
    void englishPlurals();
    void everyPluralHasEnglishForms();
    void installedLanguage_data();
    void installedLanguage();

private:
    QTranslator m_translator;
    QList<TsMessage> m_messages;
};

void tst_Translations::initTestCase()
{
    QVERIFY2(QFile::exists(QmPath),
             "berth_fr.qm is not embedded: berth_translations is not linked");
    QVERIFY(m_translator.load(QmPath));
    QVERIFY(!m_translator.isEmpty());
    QVERIFY(QCoreApplication::installTranslator(&m_translator));
    // What the executables do: QLocale() names the file, berth_<lang>.qm under :/i18n.
    QTranslator byLocale;
    QVERIFY(
        byLocale.load(QLocale(QLocale::French, QLocale::France), u"berth"_s, u"_"_s, u":/i18n"_s));

    QString error;
    m_messages = readTs(TsPath, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(m_messages.size() > 200);
}

void tst_Translations::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_translator);
}

void tst_Translations::french_data()
{
    // Computed here, after initTestCase installed the translator: real core calls, real messages.
    QTest::addColumn<QString>("actual");
    QTest::addColumn<QString>("expected");

    QTest::newRow("uppercase reference") << errorOf(ImageReference::parse(u"Node"))
                                         << u"le nom du dépôt doit être en minuscules : 'Node'"_s;
    QTest::newRow("empty reference")
        << errorOf(ImageReference::parse(u""))
        << u"format de référence non valide : la référence d'image est vide"_s;
    QTest::newRow("tag")
        << errorOf(ImageReference::validateTag(u"-x"))
        << u"tag '-x' non valide : un tag doit commencer par une lettre, un chiffre ou '_'"_s;
    QTest::newRow("digest") << errorOf(Digest::parse(u"md5:abc"))
                            << u"algorithme d'empreinte 'md5' non pris en charge dans 'md5:abc' : "
                               u"seuls sha256 et sha512 sont pris en charge"_s;

    const QString what = Berth::tr("tag '%1' of %2").arg(u"15"_s, u"docker.io/library/node"_s);
    QTest::newRow("what") << what << u"le tag '15' de docker.io/library/node"_s;
    QTest::newRow("registry 404")
        << registryHttpError(404, {}, what, u"registry-1.docker.io"_s).message
        << u"Introuvable sur registry-1.docker.io : le tag '15' de docker.io/library/node."_s;
    QTest::newRow("registry 401 with body")
        << registryHttpError(
               401,
               R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
               what,
               u"ghcr.io"_s)
               .message
        << u"ghcr.io exige une authentification pour le tag '15' de docker.io/library/node ; "
           u"connectez-vous d'abord à ghcr.io. Message du registre : authentication required"_s;
    QTest::newRow("connection refused")
        << registryNetworkError(QNetworkReply::ConnectionRefusedError, {}, u"localhost:5000"_s)
               .message
        << u"Impossible de se connecter à localhost:5000 : la connexion a été refusée."_s;

    const QLocale french(QLocale::French, QLocale::France);
    QTest::newRow("billions") << formatCount(1'200'000'000, french) << u"1,2 Md"_s;
    QTest::newRow("millions") << formatCount(15'000'000, french) << u"15 M"_s;
    QTest::newRow("thousands") << formatCount(1'500, french) << u"1,5 k"_s;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QTest::newRow("one day ago") << formatAge(now.addDays(-1), now) << u"il y a 1 jour"_s;
    QTest::newRow("three days ago") << formatAge(now.addDays(-3), now) << u"il y a 3 jours"_s;

    QTest::newRow("platform shape")
        << errorOf(Platform::parse(u"linux"))
        << u"plateforme 'linux' non valide : os/architecture[/variante] est attendu, "
           u"par exemple linux/amd64"_s;
    QTest::newRow("platform empty part")
        << errorOf(Platform::parse(u"linux/"))
        << u"plateforme 'linux/' non valide : l'architecture est vide"_s;
    QTest::newRow("platform bad part")
        << errorOf(Platform::parse(u"linux/x!"))
        << u"plateforme 'linux/x!' non valide : l'architecture 'x!' n'est pas valide"_s;
    QTest::newRow("manifest") << errorOf(parseImageManifest(QByteArray(), QString()))
                              << u"le manifeste est vide"_s;

    // berthctl's strings live in the context of Berth::Cli::tr().
    QTest::newRow("cli header") << QCoreApplication::translate("Berth::Cli", "NAME") << u"NOM"_s;
    QTest::newRow("cli verb") << Berth::tr("Log out of a registry")
                              << u"Se déconnecter d'un registre"_s;
}

void tst_Translations::french()
{
    QFETCH(QString, actual);
    QFETCH(QString, expected);
    QCOMPARE(actual, expected);
}

void tst_Translations::completeTs()
{
    int unfinished = 0;
    QStringList problems;
    for (const TsMessage &m : std::as_const(m_messages)) {
        const QString where = m.context + u" / " + m.source;
        if (m.type == u"unfinished")
            ++unfinished;
        else if (!m.type.isEmpty())
            problems << where + u": translation type " + m.type;
        if (m.translations.size() != (m.numerus ? 2 : 1))
            problems << where + u": %1 forms"_s.arg(m.translations.size());
        for (const QString &t : m.translations) {
            if (t.trimmed().isEmpty())
                problems << where + u": empty translation";
            else if (placeholders(t) != placeholders(m.source))
                problems << where + u": placeholders differ in " + t;
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QVERIFY2(unfinished == 0,
             qPrintable(u"%1 unfinished message(s): run scripts/update-translations and "
                        u"translate them"_s.arg(unfinished)));
}

void tst_Translations::qmHasEveryMessage()
{
    // The embedded .qm is compiled from the .ts: every source text must come back translated.
    int translated = 0;
    QStringList missing;
    for (const TsMessage &m : std::as_const(m_messages)) {
        const QByteArray context = m.context.toUtf8(), source = m.source.toUtf8(),
                         comment = m.comment.toUtf8();
        const char *disambiguation = m.comment.isEmpty() ? nullptr : comment.constData();
        const QString got = m_translator.translate(
            context.constData(), source.constData(), disambiguation, m.numerus ? 2 : -1);
        const QString want = m.translations.value(m.numerus ? 1 : 0);
        if (got.isEmpty())
            missing << m.context + u" / " + m.source;
        else if (got == want)
            ++translated;
        else
            missing << m.context + u" / " + m.source + u": .qm has " + got + u", .ts has " + want;
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u'\n')));
    QCOMPARE(translated, m_messages.size());
}

void tst_Translations::englishPlurals_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one minute") << u"Berth"_s << u"%n minute(s) ago"_s << 1 << u"1 minute ago"_s;
    QTest::newRow("minutes") << u"Berth"_s << u"%n minute(s) ago"_s << 5 << u"5 minutes ago"_s;
    QTest::newRow("one tag") << u"Berth::TagGroupsView"_s << u"%n tag(s)"_s << 1 << u"1 tag"_s;
    QTest::newRow("tags") << u"Berth::TagGroupsView"_s << u"%n tag(s)"_s << 230 << u"230 tags"_s;
}

void tst_Translations::englishPlurals()
{
    // English users see "1 tag" / "230 tags", not "tag(s)": berth_en.qm holds only those forms.
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(int, n);
    QFETCH(QString, expected);
    QTranslator english;
    QVERIFY(english.load(
        QLocale(QLocale::English, QLocale::UnitedStates), u"berth"_s, u"_"_s, u":/i18n"_s));
    const QString text
        = english.translate(context.toUtf8().constData(), source.toUtf8().constData(), nullptr, n);
    QCOMPARE(QString(text).replace(u"%n"_s, QString::number(n)), expected);
}

void tst_Translations::everyPluralHasEnglishForms()
{
    QString error;
    const QList<TsMessage> english = readTs(EnglishTsPath, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QSet<QString> finished;
    for (const TsMessage &m : english) {
        if (m.numerus && m.type.isEmpty() && m.translations.size() == 2)
            finished.insert(m.context + u'/' + m.source);
    }
    QStringList missing;
    for (const TsMessage &m : std::as_const(m_messages)) {
        if (m.numerus && m.type != u"vanished" && m.type != u"obsolete"
            && !finished.contains(m.context + u'/' + m.source))
            missing << m.context + u" / " + m.source;
    }
    QVERIFY2(missing.isEmpty(), qPrintable(u"no English forms for:\n"_s + missing.join(u'\n')));
}

void tst_Translations::installedLanguage_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("oneTag");
    QTest::addColumn<QString>("tags");
    // Languages Berth has no translation for keep English strings with English plurals.
    QTest::newRow("C") << QLocale::c() << u"en"_s << u"1 tag"_s << u"3 tags"_s;
    QTest::newRow("German") << QLocale(QLocale::German, QLocale::Germany) << u"en"_s << u"1 tag"_s
                            << u"3 tags"_s;
    QTest::newRow("English") << QLocale(QLocale::English, QLocale::UnitedKingdom) << u"en"_s
                             << u"1 tag"_s << u"3 tags"_s;
    QTest::newRow("French") << QLocale(QLocale::French, QLocale::France) << u"fr"_s << u"1 tag"_s
                            << u"3 tags"_s;
}

void tst_Translations::installedLanguage()
{
    QFETCH(QLocale, locale);
    QFETCH(QString, language);
    QFETCH(QString, oneTag);
    QFETCH(QString, tags);
    QCoreApplication::removeTranslator(&m_translator);
    const auto restore = qScopeGuard([this] {
        qDeleteAll(QCoreApplication::instance()->findChildren<QTranslator *>(
            QString(), Qt::FindDirectChildrenOnly));
        QCoreApplication::installTranslator(&m_translator);
    });
    QCOMPARE(installTranslations(locale), language);
    const auto count = [](int n) {
        return QCoreApplication::translate("Berth::TagGroupsView", "%n tag(s)", nullptr, n);
    };
    QCOMPARE(count(1), oneTag);
    QCOMPARE(count(3), tags);
}

QTEST_GUILESS_MAIN(tst_Translations)
#include "tst_translations.moc"
