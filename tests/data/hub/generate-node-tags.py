#!/usr/bin/env python3
"""Writes tags-node-page{1,2,3}.json: library/node's tags as the Hub pages them (100, 100, 30).

Deterministic. Tags sharing one image are spread over the pages on purpose, so grouping has to
look across pages: 15.0.1-alpine3.10, 15.0-alpine3.10, 15-alpine3.10 and alpine3.10 land on
pages 1, 2, 3 and 1, and list different subsets of the image's platforms.
"""
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
PAGE_SIZE = 100
TOTAL = 230
NEXT = "https://hub.docker.com/v2/namespaces/library/repositories/node/tags?page={}&page_size=100"
MANIFEST_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"


def digest(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def stamp(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond:06d}Z"


FULL = [("linux", "amd64", None), ("linux", "arm64", "v8"), ("linux", "arm", "v7"),
        ("linux", "ppc64le", None), ("linux", "s390x", None)]
SMALL = [("linux", "amd64", None), ("linux", "arm64", "v8")]


def images_for(key, platforms, pushed, attestation=False):
    result = []
    for i, (os_, arch, variant) in enumerate(platforms):
        result.append({
            "architecture": arch, "features": "", "variant": variant,
            "digest": digest(f"{key}/{os_}/{arch}/{variant}"), "os": os_, "os_features": "",
            "os_version": None, "size": 40_000_000 + 1_000_003 * i + len(key) * 7919,
            "status": "active", "last_pulled": stamp(pushed + timedelta(days=3)),
            "last_pushed": stamp(pushed + timedelta(minutes=i)),
        })
    if attestation:
        result.append({
            "architecture": "unknown", "features": "", "variant": None,
            "digest": digest(f"{key}/attestation"), "os": "unknown", "os_features": "",
            "os_version": None, "size": 12345, "status": "active", "last_pulled": None,
            "last_pushed": stamp(pushed),
        })
    return result


def tag(name, key, pushed, images, media_type=MANIFEST_INDEX, tag_id=None):
    return {
        "creator": 7, "id": tag_id or int(hashlib.sha1(name.encode()).hexdigest()[:8], 16),
        "images": images, "last_updated": stamp(pushed), "last_updater": 1156886,
        "last_updater_username": "doijanky", "name": name, "repository": 21090,
        "full_size": max((i["size"] for i in images), default=0), "v2": True,
        "tag_status": "active", "tag_last_pulled": stamp(pushed + timedelta(days=3)),
        "tag_last_pushed": stamp(pushed), "media_type": media_type, "content_type": "image",
        "digest": digest(key) if key else None,
    }


def main():
    rng = random.Random(20240514)
    base = datetime(2024, 5, 14, 2, 7, 33, 123456, tzinfo=timezone.utc)
    tags = []
    image = 0
    variants = ["", "-alpine", "-slim", "-bullseye", "-bookworm"]
    for major in (18, 17, 16, 14):
        for minor in range(0, 4):
            for patch in range(0, 3):
                for variant in variants:
                    if len(tags) >= TOTAL - 6:
                        break
                    image += 1
                    key = f"node-{major}.{minor}.{patch}{variant}"
                    pushed = base - timedelta(hours=image * 5)
                    platforms = SMALL if variant == "-alpine" else FULL
                    images = images_for(key, platforms, pushed, attestation=image % 7 == 0)
                    media = DOCKER_LIST if major == 14 else MANIFEST_INDEX
                    names = [f"{major}.{minor}.{patch}{variant}"]
                    if patch == 2:
                        names.append(f"{major}.{minor}{variant}")
                    for n in names:
                        if len(tags) < TOTAL - 6:
                            tags.append(tag(n, key, pushed, images, media))
    rng.shuffle(tags)
    tags.sort(key=lambda t: t["last_updated"], reverse=True)

    # The alpine3.10 image, its tags on different pages and listing different platforms.
    key = "node-15.0.1-alpine3.10"
    pushed = datetime(2020, 10, 21, 0, 4, 11, 500000, tzinfo=timezone.utc)
    full = images_for(key, SMALL, pushed)
    alpine = [
        (5, tag("15.0.1-alpine3.10", key, pushed, full)),
        (150, tag("15.0-alpine3.10", key, pushed, full[:1])),
        (215, tag("15-alpine3.10", key, pushed - timedelta(minutes=1), full[1:])),
        (60, tag("alpine3.10", key, pushed - timedelta(minutes=2), full)),
    ]
    # An unfinished push the Hub lists without digest or images.
    broken = tag("broken-push", None, base - timedelta(days=900), [])
    broken["tag_status"] = "inactive"
    broken["media_type"] = None
    broken["full_size"] = None
    # The "status" spelling some answers use instead of tag_status, and no media_type.
    legacy = tag("legacy-status", "node-legacy", base - timedelta(days=1000),
                 images_for("node-legacy", SMALL[:1], base - timedelta(days=1000)))
    del legacy["tag_status"]
    legacy["status"] = "active"
    del legacy["media_type"]
    legacy["content_type"] = "application/vnd.docker.distribution.manifest.v2+json"
    for position, entry in sorted(alpine):
        tags.insert(position, entry)
    tags.insert(120, broken)
    tags.append(legacy)
    assert len(tags) == TOTAL, len(tags)
    assert len({t["name"] for t in tags}) == TOTAL

    pages = [tags[i:i + PAGE_SIZE] for i in range(0, TOTAL, PAGE_SIZE)]
    for number, results in enumerate(pages, start=1):
        page = {
            "count": TOTAL,
            "next": NEXT.format(number + 1) if number < len(pages) else None,
            "previous": NEXT.format(number - 1) if number > 1 else None,
            "results": results,
        }
        # One tag per line: diffable, and a third of the size of an indented dump.
        head = {k: v for k, v in page.items() if k != "results"}
        lines = [json.dumps(t, separators=(",", ":")) for t in results]
        with open(f"{HERE}/tags-node-page{number}.json", "w") as out:
            out.write(json.dumps(head)[:-1] + ', "results": [\n ')
            out.write(",\n ".join(lines))
            out.write("\n]}\n")


if __name__ == "__main__":
    main()
