#pragma once

#include "common/result.h"
#include "store/imagebackend.h"

namespace Berth {

// What stops an image from being removed, in the user's words. An engine refuses with HTTP 409
// and a text naming a container ID ("conflict: unable to remove repository reference "x" (must
// force) - container 2ab3c4d5e6f7 is using its referenced image 1a2b3c4d5e6f"; podman: "image
// used by 3c5b…: image is in use by a container"); the containers are found by the IDs in it.

// The containers whose ID or image ID the engine's message names.
QList<LocalContainer> containersNamedIn(const QString &engineMessage,
                                        const QList<LocalContainer> &containers);

// "ubuntu:24.04 is used by the container 'web' (stopped). Remove the container first, or
// force." The error keeps the original's kind and status, with Error::containers filled.
// `original` is returned unchanged when no container is known.
Error imageInUseError(const QString &image,
                      const QList<LocalContainer> &users,
                      const Error &original);

// "running", "stopped", "paused": a container's state as a word for a sentence.
QString containerStateWord(const QString &engineState);

} // namespace Berth
