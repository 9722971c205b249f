#pragma once

// A small image with several layers made in memory — gzip, gzip and plain tar layers, a file
// changed and one deleted by a whiteout, an empty-layer history step — and pushed to a test
// registry with the real registry client, for the tests that look inside images.

#include "common/result.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace Berth {
class RegistryClient;
}

namespace BerthTest {

struct FixtureLayer
{
    QByteArray blob; // as pushed (compressed or not)
    QString mediaType;
    QString digest;                     // of the blob
    QString diffId;                     // of the uncompressed tar
    QMap<QByteArray, QByteArray> files; // path → content, what this layer writes
    QString createdBy;
};

struct ContentsFixture
{
    QList<FixtureLayer> layers;
    QByteArray config;
    QString configDigest;
    QByteArray manifest;
    QString manifestDigest;
};

// Different bytes for each seed (so that a test's layers are in no cache yet).
ContentsFixture makeContentsFixture(quint32 seed);

// Uploads the blobs and the manifest under `reference` (its tag). Waits on the event loop.
Berth::Status pushContentsFixture(Berth::RegistryClient &client,
                                  const Berth::ImageReference &reference,
                                  const ContentsFixture &fixture);

} // namespace BerthTest
