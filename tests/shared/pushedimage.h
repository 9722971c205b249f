#pragma once

#include "common/result.h"
#include "reference/imagereference.h"

#include <QStringList>

namespace Berth {
class RegistryClient;
}

namespace BerthTest {

// Pushes a small image of its own (a random layer and a config naming it) to `repository` and
// PUTs its manifest under each of `tags`: a repository a test may delete from without disturbing
// another. Answers the manifest's digest.
Berth::Result<Berth::Digest> pushSmallImage(Berth::RegistryClient &client,
                                            const Berth::ImageReference &repository,
                                            const QStringList &tags);

} // namespace BerthTest
