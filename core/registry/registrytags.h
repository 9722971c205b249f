#pragma once

#include "registryclient.h"
#include "taginfo.h"

namespace Berth {

// How many tags listRegistryTags looks up, one manifest HEAD each. Eight at a time, a few
// thousand take seconds, and stay well inside the request budgets registries enforce (ghcr.io,
// quay.io); a repository of 1,000,000 tags (CI builds) would otherwise send a million requests
// and show nothing until the last answered. More groups than this are not browsable anyway.
inline constexpr int MaxDigestLookups = 2000;

// Tags of a repository on any registry, with what the Hub API would tell: each tag's digest
// (manifest HEADs, which Docker Hub does not count against pull limits), and per distinct digest
// its platforms and compressed size. Feeds groupTagsByDigest() where there is no Hub API.
// Listed names that are not tags (ImageReference::keepValidTags) are left out; invalidNames, when
// given, is told how many before the first request for a tag.
// Tags past the first MaxDigestLookups come back with digestNotLookedUp set. progress counts the
// look-ups done out of those to do.
void listRegistryTags(RegistryClient &client,
                      const ImageReference &repository,
                      std::function<void(Result<QList<TagInfo>>)> done,
                      std::function<void(int done, int total)> progress = {},
                      std::function<void(int count)> invalidNames = {});

} // namespace Berth
