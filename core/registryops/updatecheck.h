#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "store/imagebackend.h"

#include <QList>
#include <QString>

#include <functional>

namespace Berth {

class RegistryClient;

// Whether a local image's tag still points where it did when the image was pulled.
enum class UpdateState {
    Unknown,         // not checked yet
    UpToDate,        // the tag's digest (or, for an index, this platform's image) is the local one
    UpdateAvailable, // the tag points at another image for this platform
    NotInRegistry,   // the registry no longer has the tag (404)
    LocalOnly,       // no registry digest: built, imported, loaded or tagged here; not checkable
    Failed,          // the registry could not be asked; see message
};

// A stable machine-readable name ("up-to-date", "update-available", …) for JSON and logs.
QString updateStateName(UpdateState state);
// The state in the user's words ("Up to date", "Update available", …).
QString updateStateText(UpdateState state);

// One tag of a local image, as the check sees it.
struct UpdateCheckTarget
{
    QString name; // the tag as the backend lists it: "node:15", "localhost:5000/x:y"
    ImageReference reference;
    Digest imageId;
    Platform platform;          // the local image's; unknown: the host's
    QList<Digest> localDigests; // registry digests recorded for this repository
};

struct UpdateStatus
{
    QString name; // as UpdateCheckTarget::name
    Digest imageId;
    UpdateState state = UpdateState::Unknown;
    Digest local;     // the local registry digest compared (the first one recorded)
    Digest remote;    // what the tag points at in the registry now (an index or a manifest)
    QString message;  // NotInRegistry, LocalOnly and Failed: why, in the user's words
    int requests = 0; // registry requests the check made (a HEAD, and GETs only for an index)
};

// Every tag of every image, in the images' order; untagged images are left out (there is nothing to
// look up).
QList<UpdateCheckTarget> updateCheckTargets(const QList<LocalImage> &images);

// Checks one tag: HEAD the tag; a digest among the local ones is up to date. Otherwise, when the
// tag is an index, GET it (by digest) and compare this platform's manifest, and if that is not
// recorded either, GET the manifest and compare its config with the image ID (docker and the
// embedded store record only the index digest of a single-platform pull). A manifest that differs
// is an update without a GET, so an up-to-date check costs no pull on Docker Hub.
void checkForUpdate(RegistryClient &client,
                    const UpdateCheckTarget &target,
                    std::function<void(UpdateStatus)> done);

struct UpdateCheckOptions
{
    int parallel = 4; // tags checked at once
    CancelToken cancel;
    std::function<void(const UpdateStatus &)> progress; // each tag as its check ends
};

// Checks every target, at most options.parallel at once. The statuses come in the targets' order;
// a cancel ends with a Cancelled error once the checks in flight are over.
void checkForUpdates(RegistryClient &client,
                     QList<UpdateCheckTarget> targets,
                     UpdateCheckOptions options,
                     std::function<void(Result<QList<UpdateStatus>>)> done);

} // namespace Berth
