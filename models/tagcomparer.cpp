#include "tagcomparer.h"

#include "registry/registryclient.h"

namespace Berth {

namespace {

// A page compares a handful of tags; past this many images kept, start again.
constexpr qsizetype MaxKeptImages = 64;

} // namespace

struct TagComparer::Pending
{
    std::optional<Result<InspectedImage>> first;
    std::optional<Result<InspectedImage>> second;
};

TagComparer::TagComparer(RegistryClient *registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
{}

void TagComparer::setRepository(const ImageReference &repository)
{
    cancel();
    m_repository = repository;
    m_images.clear();
    m_inspections = 0;
    m_first.clear();
    m_second.clear();
    m_comparison.reset();
}

void TagComparer::cancel()
{
    ++m_generation;
    m_cancel.cancel();
    setRunning(false);
}

void TagComparer::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    emit runningChanged(running);
}

QString TagComparer::cacheKey(const QString &tag) const
{
    return tag + u'\n' + (m_platform ? m_platform->toString() : QString());
}

void TagComparer::compare(const QString &first,
                          const QString &second,
                          const std::optional<Platform> &platform)
{
    cancel();
    m_cancel = CancelToken();
    m_first = first;
    m_second = second;
    m_platform = platform;
    m_comparison.reset();
    if (!m_registry || !m_repository.isValid() || first.isEmpty() || second.isEmpty())
        return;

    const int generation = m_generation;
    auto pending = std::make_shared<Pending>();
    setRunning(true);
    QPointer<TagComparer> self(this);
    read(first, [self, generation, pending](Result<InspectedImage> image) {
        pending->first = std::move(image);
        if (self)
            self->arrived(generation, pending);
    });
    read(second, [self, generation, pending](Result<InspectedImage> image) {
        pending->second = std::move(image);
        if (self)
            self->arrived(generation, pending);
    });
}

void TagComparer::read(const QString &tag, std::function<void(Result<InspectedImage>)> done)
{
    const QString key = cacheKey(tag);
    if (const auto kept = m_images.constFind(key); kept != m_images.cend())
        return done(*kept);

    InspectOptions options;
    options.platform = m_platform;
    options.cancel = m_cancel;
    ++m_inspections;
    const ImageReference reference = m_repository.withTag(tag);
    QPointer<TagComparer> self(this);
    inspectImage(*m_registry,
                 reference,
                 options,
                 [self, key, reference, done](Result<InspectResult> result) {
                     if (!result)
                         return done(fail(result.error()));
                     if (result->images.isEmpty())
                         return done(
                             fail(Error::Kind::NotFound,
                                  tr("%1 holds no image.").arg(reference.familiarString())));
                     if (self) {
                         if (self->m_images.size() >= MaxKeptImages)
                             self->m_images.clear();
                         self->m_images.insert(key, result->images.first());
                     }
                     done(result->images.first());
                 });
}

void TagComparer::arrived(int generation, const std::shared_ptr<Pending> &pending)
{
    if (generation != m_generation || !pending->first || !pending->second)
        return; // a newer comparison took over, or the other side is still on its way
    setRunning(false);
    for (const Result<InspectedImage> *image : {&*pending->first, &*pending->second}) {
        if (!*image) {
            if (!image->error().isCancelled())
                emit failed(image->error());
            return;
        }
    }
    m_shownPlatform = (*pending->first)->platform;
    m_comparison = compareImages(**pending->first, **pending->second);
    emit finished();
}

} // namespace Berth
