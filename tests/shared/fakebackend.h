#pragma once

// An in-memory ImageBackend for the tests of the models and widgets, as KDE Discover's
// DummyBackend serves its UI tests: images and containers live in memory, a pretend registry
// holds what pull can fetch and what push sends, and every operation can be scripted from the
// test: progress in steps, a failure with a given Error, a wait until the test releases it (the
// in-flight states of the UI), cancellation through the operation's CancelToken. Without a script
// an operation behaves as a real one: pull adds the image, remove untags or deletes it (refused
// with a conflict naming the containers that use it), tag adds a name, save writes a small real
// tar that load reads back, export writes a real filesystem tar, import reads one. Every answer
// comes later, from the event loop, as from a real backend.

#include "store/imagebackend.h"

#include <QHash>
#include <QList>
#include <QMap>

#include <memory>
#include <optional>

namespace BerthTest {

// What a made-up image holds: `layers` small layers whose bytes derive from `seed` (by default
// the repository: the same seed, the same image ID), for one platform.
struct FakeImageSpec
{
    QString seed;
    int layers = 2;
    Berth::Platform platform{QStringLiteral("linux"), QStringLiteral("amd64"), {}, {}};
};

class FakeBackend final : public Berth::ImageBackend
{
    Q_OBJECT

public:
    enum class Op {
        ListImages,
        Inspect,
        History,
        Pull,
        Push,
        Tag,
        Remove,
        Prune,
        ListContainers,
        RemoveContainer,
        Save,
        Load,
        Export,
        Import,
    };
    Q_ENUM(Op)

    // How one call of an operation runs. Its progress lines are reported one per turn of the
    // event loop; after `stopAfter` of them the operation reaches its gate: it waits there for
    // release() when `hold`, then fails with `failure` if set, else reports the rest and does its
    // work. Cancelling (the call's CancelToken) ends it Cancelled wherever it is.
    struct Script
    {
        int stopAfter = -1; // progress lines before the gate; -1: all of them
        std::optional<Berth::Error> failure;
        bool hold = false;
    };

    using ImageSpec = FakeImageSpec;

    explicit FakeBackend(Kind kind = Kind::Embedded, QObject *parent = nullptr);
    ~FakeBackend() override;

    // The state, set up by the test. References are given as a user types them ("busybox:1.0").
    // The image ID of what was added.
    Berth::Digest addRemoteImage(const QString &reference, ImageSpec spec = {});
    Berth::Digest addImage(const QString &reference, ImageSpec spec = {});
    // A container made from a local image (by reference or ID), as `docker create` would: "exited"
    // unless said otherwise. Reported through containersChanged() like an engine's event.
    QString addContainer(const QString &name,
                         const QString &image,
                         const QString &state = QStringLiteral("exited"));
    // As `docker images` / `docker ps -a` list them, and what the pretend registry holds.
    QList<Berth::LocalImage> images() const;
    QList<Berth::LocalContainer> containers() const;
    QStringList tags() const; // every local name, sorted
    QStringList remoteReferences() const;
    struct Image;
    // A local image by reference or ID, with its layers and manifest digest; nullptr when absent.
    const Image *image(const QString &nameOrId) const { return find(nameOrId); }
    // Both backends then pull from and push to one pretend registry, as two stores on one machine.
    void shareRegistryWith(FakeBackend &other) { other.m_remote = m_remote; }
    void setDescription(const QString &description) { m_description = description; }

    // Scripting. script() applies to the next call of `op` (calls queue their scripts in order);
    // scriptAll() to every call until clearScripts().
    void script(Op op, Script script);
    void scriptAll(Op op, Script script);
    void clearScripts();
    void failNext(Op op, Berth::Error::Kind kind, const QString &message, int afterLines = -1);
    void holdNext(Op op, int afterLines = -1);
    // Lets the oldest call of `op` waiting at its gate go on; false when none waits.
    bool release(Op op);
    int heldCount(Op op) const;
    int calls(Op op) const { return m_calls.value(op); }

    // ImageBackend
    Kind kind() const override { return m_kind; }
    QString description() const override { return m_description; }
    void listImages(Callback<QList<Berth::LocalImage>> done) override;
    void inspectImage(const QString &nameOrId, Callback<Berth::LocalImageDetails> done) override;
    void history(const QString &nameOrId, Callback<QList<Berth::ImageHistoryRow>> done) override;
    void pull(const Berth::ImageReference &reference,
              Berth::PullOptions options,
              Callback<Berth::PullResult> done) override;
    void push(const Berth::ImageReference &reference,
              Berth::PushOptions options,
              Callback<Berth::PushResult> done) override;
    void
    tag(const QString &source, const Berth::ImageReference &target, Callback<void> done) override;
    void remove(const QString &nameOrId, bool force, Callback<Berth::RemoveResult> done) override;
    void prune(Berth::PruneOptions options, Callback<Berth::PruneResult> done) override;
    bool hasContainers() const override { return m_kind != Kind::Embedded; }
    void listContainers(Callback<QList<Berth::LocalContainer>> done) override;
    void removeContainer(const QString &nameOrId, bool force, Callback<void> done) override;
    void save(const QStringList &images,
              Berth::ArchiveTarget target,
              Berth::SaveOptions options,
              Callback<Berth::SaveResult> done) override;
    void load(Berth::ArchiveSource source,
              Berth::LoadOptions options,
              Callback<Berth::LoadResult> done) override;
    void exportFilesystem(const QString &containerOrImage,
                          Berth::ArchiveTarget target,
                          Berth::ExportOptions options,
                          Callback<Berth::ExportResult> done) override;
    void importFilesystem(Berth::ArchiveSource source,
                          Berth::ImportOptions options,
                          Callback<Berth::ImportResult> done) override;

    // An image as the fake keeps it: what `docker images` shows, its layers' bytes, its config.
    struct Image
    {
        Berth::LocalImage local;
        QList<QByteArray> layers;
        QStringList layerFiles; // the file each layer adds, for export
        QByteArray config;      // JSON; its digest is the image ID
        Berth::Digest manifest;
    };

private:
    struct Task;
    using Line = std::function<void()>;
    using Work = std::function<void()>;
    using Failure = std::function<void(const Berth::Error &)>;

    // Runs one call: its progress lines, its gate, then `work` (which answers the caller) or
    // `failed`.
    void run(Op op, const Berth::CancelToken &cancel, QList<Line> lines, Work work, Failure failed);
    template<typename T>
    void run(Op op,
             const Berth::CancelToken &cancel,
             QList<Line> lines,
             std::function<Berth::Result<T>()> work,
             Callback<T> done);
    void advance(const std::shared_ptr<Task> &task);
    void post(const std::shared_ptr<Task> &task);
    void end(const std::shared_ptr<Task> &task, const std::optional<Berth::Error> &error);
    Script takeScript(Op op);

    Image *find(const QString &nameOrId);
    const Image *find(const QString &nameOrId) const;
    Image makeImage(const QString &reference, const ImageSpec &spec) const;
    Image assemble(const QList<QByteArray> &layers, const ImageSpec &spec) const;
    void store(Image image, const QString &tag);
    void untag(const QString &tag);
    void changed(bool images, bool containers) { noteChange(images, containers); }
    Berth::Result<Berth::RemoveResult> removeNow(const QString &nameOrId, bool force);
    QList<Berth::LocalContainer> usersOf(const Berth::Digest &id) const;
    QList<Line> blobLines(const Image &image,
                          const std::function<void(const Berth::TransferProgress &)> &progress,
                          bool present) const;

    // Archives (fakebackendarchives.cpp).
    Berth::Result<Berth::SaveResult> writeSave(const QStringList &images,
                                               const Berth::ArchiveTarget &target,
                                               Berth::Compression compression);
    Berth::Result<Berth::LoadResult> readLoad(const Berth::ArchiveSource &source);
    Berth::Result<Berth::ExportResult> writeExport(const QString &containerOrImage,
                                                   const Berth::ArchiveTarget &target);
    Berth::Result<Berth::ImportResult> readImport(const Berth::ArchiveSource &source,
                                                  const Berth::ImportOptions &options);
    QList<Line> archiveLines(const Berth::ArchiveProgressFunction &progress,
                             const QString &item,
                             qint64 total) const;

    Kind m_kind;
    QString m_description;
    QList<Image> m_images;
    QList<Berth::LocalContainer> m_containers;
    // The pretend registry: full reference → image.
    std::shared_ptr<QMap<QString, Image>> m_remote = std::make_shared<QMap<QString, Image>>();
    QHash<Op, QList<Script>> m_scripts;
    QHash<Op, Script> m_always;
    QHash<Op, int> m_calls;
    QList<std::shared_ptr<Task>> m_held;
    QList<std::shared_ptr<Task>> m_running;
};

template<typename T>
inline void FakeBackend::run(Op op,
                             const Berth::CancelToken &cancel,
                             QList<Line> lines,
                             std::function<Berth::Result<T>()> work,
                             Callback<T> done)
{
    run(
        op,
        cancel,
        std::move(lines),
        [work, done] { done(work()); },
        [done](const Berth::Error &error) { done(std::unexpected(error)); });
}

} // namespace BerthTest
