#pragma once

#include "registryclient.h"
#include "taginfo.h"

namespace Berth {

// How many tags listRegistryTags looks up, one manifest HEAD each: a few thousand take seconds
// and stay well inside the request budgets registries enforce (ghcr.io, quay.io); a repository
// of 1,000,000 tags (CI builds) would otherwise send a million requests and show nothing until
// the last answered. More groups than this are not browsable anyway.
inline constexpr int MaxDigestLookups = 2000;

// What listRegistryTags reports, and when.
struct TagListing
{
    // The whole list, in the registry's order: once, at the end.
    std::function<void(Result<QList<TagInfo>>)> done;
    // Look-ups (HEADs) done out of those to do.
    std::function<void(int done, int total)> progress;
    // How many listed names are not tags, before the first request for a tag.
    std::function<void(int count)> invalidNames;
    // Tags that are complete, in batches, long before `done`: the tags of a digest once it is
    // described (those known so far; later ones as they answer), tags without a digest (a per-tag
    // problem) and those past MaxDigestLookups. Together the batches hold each tag of `done`'s
    // list once, with the same details; none come after `done` or after a failure.
    std::function<void(const QList<TagInfo> &ready)> partial;
};

// Tags of a repository on any registry, with what the Hub API would tell: each tag's digest
// (manifest HEADs, which Docker Hub does not count against pull limits), and per distinct digest
// its platforms and compressed size, fetched as soon as the first tag of that digest answers.
// Feeds groupTagsByDigest() where there is no Hub API. Listed names that are not tags
// (ImageReference::keepValidTags) are left out. Tags past the first MaxDigestLookups come back
// with digestNotLookedUp set. One odd tag (schema 1, an artifact, deleted meanwhile) comes back
// without a digest or without details; access and network failures fail the listing.
void listRegistryTags(RegistryClient &client, const ImageReference &repository, TagListing listing);

// The same without the partial batches.
void listRegistryTags(RegistryClient &client,
                      const ImageReference &repository,
                      std::function<void(Result<QList<TagInfo>>)> done,
                      std::function<void(int done, int total)> progress = {},
                      std::function<void(int count)> invalidNames = {});

} // namespace Berth
