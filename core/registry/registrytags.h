#pragma once

#include "registryclient.h"
#include "taginfo.h"

namespace Berth {

// Tags of a repository on any registry, with what the Hub API would tell: each tag's digest
// (manifest HEADs, which Docker Hub does not count against pull limits), and per distinct digest
// its platforms and compressed size. Feeds groupTagsByDigest() where there is no Hub API.
// Listed names that are not tags (ImageReference::keepValidTags) are left out; invalidNames, when
// given, is told how many before the first request for a tag.
void listRegistryTags(RegistryClient &client,
                      const ImageReference &repository,
                      std::function<void(Result<QList<TagInfo>>)> done,
                      std::function<void(int done, int total)> progress = {},
                      std::function<void(int count)> invalidNames = {});

} // namespace Berth
