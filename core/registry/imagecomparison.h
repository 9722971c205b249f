#pragma once

#include "imageinspector.h"
#include "taginfo.h"

#include <QList>
#include <QString>

#include <optional>

namespace Berth {

// One row of two images' layers side by side: a layer both have (same digest, same row) or a
// layer only one of them has.
struct LayerPair
{
    std::optional<Descriptor> first;
    std::optional<Descriptor> second;

    bool isShared() const { return first && second; }
};

// One entry of a config setting on both sides: a variable of Env, a label, an exposed port, or
// the whole value of Cmd, Entrypoint, User and WorkingDir (key empty). nullopt: that image does
// not set it.
struct ConfigEntry
{
    QString key;
    std::optional<QString> first;
    std::optional<QString> second;

    bool differs() const { return first != second; }
};

// One setting of the image config as both images have it.
struct ConfigFieldComparison
{
    QString field; // the config's own name: "Env", "Cmd", "Entrypoint", "User", "WorkingDir", …
    QList<ConfigEntry> entries;

    bool differs() const;
    bool isKeyed() const; // Env, ExposedPorts, Labels: one entry per key
};

// The compressed size of one platform's image on both sides (nullopt: that tag lacks it).
struct PlatformSizes
{
    Platform platform;
    std::optional<qint64> first;
    std::optional<qint64> second;
};

// Two images of one platform side by side.
struct ImageComparison
{
    QList<LayerPair> layers; // aligned on their longest common run of layers
    int firstLayers = 0;
    int secondLayers = 0;
    int sharedLayers = 0; // layers of the first the second also has, wherever it has them
    qint64 sharedSize = 0;
    qint64 firstSize = 0;
    qint64 secondSize = 0;
    QList<ConfigFieldComparison>
        config; // Env, Cmd, Entrypoint, User, WorkingDir, ExposedPorts, Labels

    int differingFields() const;
};

// Layers aligned the way a diff aligns lines (longest common subsequence by digest): a shared
// base stays on the same rows, what differs shows beside or below it. Layer lists are short (tens),
// so the quadratic table costs nothing.
QList<LayerPair> alignLayers(const QList<Descriptor> &first, const QList<Descriptor> &second);
// The settings people compare, in docker inspect's order. Env, ExposedPorts and Labels compare
// per key (variable order does not matter); Cmd and Entrypoint as the whole argument list, shown
// in exec form (["nginx", "-g", "daemon off;"]).
QList<ConfigFieldComparison> compareConfigs(const ImageConfig &first, const ImageConfig &second);
ImageComparison compareImages(const InspectedImage &first, const InspectedImage &second);
// The platforms of both tags (the first's order, then the second's own), attestations left out.
QList<PlatformSizes> comparePlatformSizes(const QList<PlatformImage> &first,
                                          const QList<PlatformImage> &second);

} // namespace Berth
