// One embedded store shared by the GUI and two berthctl processes at once (issue 8): the GUI side
// (an EmbeddedBackend driven through the TransferManager, listed by a LocalImagesModel, as the app
// does) and two berthctl loops pull, tag and remove images that share their layers, so one's rmi
// collects garbage while another pulls the same blobs. At the end every tag an actor created and
// did not remove is there with its image, fsck finds no damaged or missing blob, and the model
// lists what `berthctl images` lists.
//
// The actors' scripts are seeded: the seed is printed and BERTH_SHAREDSTORE_SEED=N replays them;
// BERTH_SHAREDSTORE_ROUNDS=N changes the rounds per actor (12 by default).
#include "asynctest.h"
#include "berthctlrunner.h"
#include "testservices.h"

#include "localimagesmodel.h"
#include "transferjob.h"
#include "transfermanager.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// One step of an actor's script: a verb and what the store holds once it succeeded.
struct Step
{
    enum Verb { Pull, Tag, Remove } verb;
    QString source; // pull, tag, remove: the reference it works on
    QString target; // tag: the new name
};

// A script of rounds: pull a tag of berth/many this actor owns, tag it with a name of its own,
// sometimes remove the pulled tag (the image may then lose its last tag: garbage collection) or
// one of its earlier names. `kept` is what the actor leaves: reference -> manifest digest.
struct Script
{
    QList<Step> steps;
    QHash<QString, QString> kept;
};

Script makeScript(const QString &actor,
                  int slot,
                  int rounds,
                  const QString &repository,
                  const QList<std::pair<QString, QStringList>> &groups,
                  QRandomGenerator &random)
{
    Script script;
    QStringList names;
    for (int round = 0; round < rounds; ++round) {
        const auto &[digest, tags] = groups.at(random.bounded(int(groups.size())));
        // Tags are partitioned between the three actors: nobody removes another's tag.
        QStringList mine;
        for (int i = slot; i < tags.size(); i += 3)
            mine << tags.at(i);
        const QString pulled = repository + u':' + mine.at(random.bounded(int(mine.size())));
        script.steps << Step{Step::Pull, pulled, {}};
        script.kept.insert(pulled, digest);
        if (random.bounded(3) == 0) {
            // Pulled and removed at once: the image may lose its last tag, its blobs collected
            // while another actor pulls the same image.
            script.steps << Step{Step::Remove, pulled, {}};
            script.kept.remove(pulled);
            continue;
        }
        const QString name = u"shared/"_s + actor + u":r"_s + QString::number(round);
        script.steps << Step{Step::Tag, pulled, name};
        script.kept.insert(name, digest);
        names << name;
        if (random.bounded(2) == 0) {
            script.steps << Step{Step::Remove, pulled, {}};
            script.kept.remove(pulled);
        }
        if (names.size() > 1 && random.bounded(3) == 0) {
            const QString old = names.takeAt(random.bounded(int(names.size()) - 1));
            script.steps << Step{Step::Remove, old, {}};
            script.kept.remove(old);
        }
    }
    return script;
}

QString refName(const QString &reference)
{
    return ImageReference::parse(reference)->toString();
}

} // namespace

class tst_SharedStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void guiAndTwoBerthctlsShareOneStore();

private:
    // The berthctl actors: one process per step, the next started when it ends.
    void runCtlStep(int actor, int index);
    // The GUI actor: pulls through the TransferManager, tags and removes through the backend.
    void runGuiStep(int index);
    void stepDone(int actor, int index, const QString &error);

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    quint32 m_seed = 0;
    int m_rounds = 12;
    QList<Script> m_scripts; // 0: the GUI, 1 and 2: berthctl
    QStringList m_errors;
    int m_finished = 0;
    int m_refetches = 0; // berthctl pulls that found blobs gone under them and fetched them again
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<LocalImagesModel> m_model;
};

void tst_SharedStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    bool ok = false;
    m_seed = qEnvironmentVariableIntValue("BERTH_SHAREDSTORE_SEED", &ok);
    if (!ok)
        m_seed = QRandomGenerator::system()->generate();
    qInfo("shared-store seed %u (replay: BERTH_SHAREDSTORE_SEED=%u)", m_seed, m_seed);
    if (const int rounds = qEnvironmentVariableIntValue("BERTH_SHAREDSTORE_ROUNDS"); rounds > 0)
        m_rounds = rounds;

    const QString store = m_dir.filePath(u"store"_s);
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(u"BERTH_STORE"_s, store);
    m_env.insert(u"QT_LOGGING_RULES"_s, u"berth.store.info=true"_s); // to count the refetches
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(store, m_client.get());
    m_transfers = std::make_unique<TransferManager>();
    m_transfers->setBackend(m_backend.get());
    m_model = std::make_unique<LocalImagesModel>();
    m_model->setBackend(m_backend.get());
}

void tst_SharedStore::runCtlStep(int actor, int index)
{
    const Script &script = m_scripts.at(actor);
    if (index >= script.steps.size()) {
        ++m_finished;
        return;
    }
    const Step &step = script.steps.at(index);
    QStringList arguments;
    switch (step.verb) {
    case Step::Pull:
        arguments = {u"pull"_s, step.source, u"--format"_s, u"json"_s};
        break;
    case Step::Tag:
        arguments = {u"tag"_s, step.source, step.target};
        break;
    case Step::Remove:
        arguments = {u"rmi"_s, step.source};
        break;
    }
    arguments << u"--backend"_s << u"embedded"_s;
    auto *process = new QProcess(this);
    process->setProcessEnvironment(m_env);
    connect(process,
            &QProcess::finished,
            this,
            [this, process, actor, index, arguments](int exitCode, QProcess::ExitStatus status) {
                process->deleteLater();
                const QByteArray err = process->readAllStandardError();
                m_refetches += int(err.count("removed by another process"));
                QString error;
                if (status != QProcess::NormalExit || exitCode != 0)
                    error = u"berthctl %1: exit %2: %3"_s.arg(arguments.join(u' '))
                                .arg(exitCode)
                                .arg(QString::fromUtf8(err));
                stepDone(actor, index, error);
            });
    process->start(berthctlPath(), arguments);
}

void tst_SharedStore::runGuiStep(int index)
{
    const Script &script = m_scripts.at(0);
    if (index >= script.steps.size()) {
        ++m_finished;
        return;
    }
    const Step &step = script.steps.at(index);
    QPointer<tst_SharedStore> self(this);
    switch (step.verb) {
    case Step::Pull: {
        TransferJob *job = m_transfers->pull(*ImageReference::parse(step.source));
        connect(job, &TransferJob::finished, this, [this, job, index, step] {
            const QString error = job->state() == TransferJob::State::Done
                                      ? QString()
                                      : u"GUI pull %1: %2"_s.arg(step.source, job->errorString());
            stepDone(0, index, error);
        });
        break;
    }
    case Step::Tag:
        m_backend->tag(
            step.source, *ImageReference::parse(step.target), [self, index, step](Status s) {
                if (self)
                    self->stepDone(0,
                                   index,
                                   s ? QString()
                                     : u"GUI tag %1: %2"_s.arg(step.target, s.error().message));
            });
        break;
    case Step::Remove:
        m_backend->remove(step.source, false, [self, index, step](Result<RemoveResult> r) {
            if (self)
                self->stepDone(0,
                               index,
                               r ? QString()
                                 : u"GUI rmi %1: %2"_s.arg(step.source, r.error().message));
        });
        break;
    }
}

void tst_SharedStore::stepDone(int actor, int index, const QString &error)
{
    if (!error.isEmpty())
        m_errors << error;
    // The GUI refreshes its list now and then while the others work, as the window does.
    if (actor == 0 && index % 3 == 0)
        m_model->refresh();
    if (actor == 0)
        runGuiStep(index + 1);
    else
        runCtlStep(actor, index + 1);
}

void tst_SharedStore::guiAndTwoBerthctlsShareOneStore()
{
    const auto &services = TestServices::instance();
    const QJsonObject many = services.many();
    const QString repository
        = services.registry(u"plain"_s).host + u'/' + many.value(u"repository").toString();
    QList<std::pair<QString, QStringList>> groups;
    const QJsonObject byDigest = many.value(u"groups").toObject();
    for (auto it = byDigest.begin(); it != byDigest.end(); ++it) {
        QStringList tags;
        for (const QJsonValue &t : it.value().toArray())
            tags << t.toString();
        // Four images only: the actors pull and remove the same ones, so they collide often.
        if (groups.size() < 4 && tags.size() >= 3)
            groups.append({it.key(), tags});
    }
    QVERIFY(groups.size() == 4);

    QRandomGenerator random(m_seed);
    for (int actor = 0; actor < 3; ++actor) {
        const QString name = actor == 0 ? u"gui"_s : u"ctl"_s + QString::number(actor);
        m_scripts << makeScript(name, actor, m_rounds, repository, groups, random);
    }

    runGuiStep(0);
    runCtlStep(1, 0);
    runCtlStep(2, 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_finished == 3, 600000);
    QVERIFY2(m_errors.isEmpty(), qPrintable(m_errors.join(u"\n")));

    // No blob damaged or missing, no temp file left.
    const CtlRun fsck = runBerthctl({u"fsck"_s, u"--format"_s, u"json"_s}, m_env);
    QVERIFY2(fsck.exitCode == 0, QByteArray(fsck.out + fsck.err).constData());
    const QJsonObject report = QJsonDocument::fromJson(fsck.out).object();
    QVERIFY2(report.value(u"clean").toBool(), fsck.out.constData());
    QVERIFY(report.value(u"blobsChecked").toInt() > 0);

    // Every tag an actor left is there, on the image it was given.
    auto entries = m_backend->store().readIndex();
    QVERIFY(entries.has_value());
    QHash<QString, QString> index;
    for (const OciIndexEntry &e : *entries) {
        QVERIFY2(!e.refName().isEmpty(), qPrintable(e.descriptor.digest.toString()));
        index.insert(e.refName(), e.descriptor.digest.toString());
    }
    int kept = 0;
    for (const Script &script : std::as_const(m_scripts)) {
        for (auto it = script.kept.cbegin(); it != script.kept.cend(); ++it) {
            QVERIFY2(index.contains(refName(it.key())), qPrintable(u"lost tag "_s + it.key()));
            QCOMPARE(index.value(refName(it.key())), it.value());
            ++kept;
        }
    }
    // And nothing else: what was removed stays removed.
    QCOMPARE(index.size(), [&] {
        QSet<QString> all;
        for (const Script &script : std::as_const(m_scripts)) {
            for (auto it = script.kept.cbegin(); it != script.kept.cend(); ++it)
                all.insert(refName(it.key()));
        }
        return int(all.size());
    }());

    // The GUI's model lists what berthctl lists.
    const CtlRun images = runBerthctl(
        {u"images"_s, u"--format"_s, u"json"_s, u"--backend"_s, u"embedded"_s}, m_env);
    QVERIFY2(images.exitCode == 0, images.err.constData());
    QMap<QString, QStringList> listed;
    for (const QJsonValue &v :
         QJsonDocument::fromJson(images.out).object().value(u"images").toArray()) {
        QStringList tags;
        for (const QJsonValue &t : v.toObject().value(u"repoTags").toArray())
            tags << t.toString();
        tags.sort();
        listed.insert(v.toObject().value(u"id").toString(), tags);
    }
    m_model->refresh();
    QTRY_VERIFY(!m_model->isLoading());
    QVERIFY2(m_model->errorString().isEmpty(), qPrintable(m_model->errorString()));
    QMap<QString, QStringList> modelled;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const LocalImage image = m_model->image(m_model->index(row, 0));
        QStringList tags = image.repoTags;
        tags.sort();
        modelled.insert(image.id.toString(), tags);
    }
    QCOMPARE(modelled, listed);
    qInfo("%d rounds per actor, %d tags kept, %lld images in the store, %d berthctl pulls "
          "fetched blobs again that another actor had removed under them",
          m_rounds,
          kept,
          qint64(listed.size()),
          m_refetches);
}

QTEST_MAIN(tst_SharedStore)
#include "tst_sharedstore.moc"
