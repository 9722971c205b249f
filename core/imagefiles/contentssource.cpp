#include "imagefiles/contentssource.h"

namespace Berth {

void DescribingContentsSource::fetchLayers(const QList<int> &layers,
                                           std::function<BlobSink *(int)> sinkFor,
                                           FetchOptions options,
                                           std::function<void(Status)> done)
{
    if (isDescribed())
        return fetchDescribed(layers, std::move(sinkFor), std::move(options), std::move(done));
    // describe() answers only while the source lives (each source guards its own callbacks).
    describe([this, layers, sinkFor = std::move(sinkFor), options, done](
                 Result<ContentsImage> image) mutable {
        if (!image)
            return done(fail(image.error()));
        fetchDescribed(layers, std::move(sinkFor), std::move(options), std::move(done));
    });
}

} // namespace Berth
