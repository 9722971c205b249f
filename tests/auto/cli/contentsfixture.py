#!/usr/bin/env python3
"""Builds the images tst_berthctl_contents looks inside, into an OCI layout (no engine):

  contentsfixture.py DIR      writes DIR/oci (tags v1, v2, dotdot, truncated), DIR/rootfs-v1 and
                              DIR/rootfs-v2 (umoci unpack of v1 and v2), DIR/fixture.json

v1, bottom first:
  1 (umoci repack) files, a set-uid file, hard links, symbolic links (one to ../../etc/passwd, out
    of the root), a name that is not UTF-8, files and folders the next layers replace or delete
  2 (umoci repack) data/big.bin deleted (a whiteout), olddir/ deleted (a folder's whiteout),
    over/file.txt overwritten with fewer bytes, new/hello.txt added
  3 (written here) opq/ made opaque (.wh..wh..opq) with one new child, top/message.txt
v2 = v1 + 4 (umoci repack): etc/config changed, etc/passwd deleted, bin/tool chmod 0700,
     v2/added.txt added; its config gains an Env variable and a label.
dotdot = v1 + a layer holding "../escaped" and "a/../../escaped2" (what no tar should hold)
truncated = v1 + a gzip layer cut in the middle (its digest is that of the cut bytes, so the
     registry takes it; only reading it shows the damage)
fixture.json records the digests and the byte counts the test expects (wasted, the top layer's
uncompressed size).
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path


def run(*argv):
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL)


def write(path, data, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, mode)


def pattern(size, seed):
    # Deterministic bytes that gzip cannot squeeze to nothing.
    out = bytearray()
    block = hashlib.sha256(seed.encode()).digest()
    while len(out) < size:
        out += block
        block = hashlib.sha256(block).digest()
    return bytes(out[:size])


class Layout:
    def __init__(self, path):
        self.path = path

    def blob_path(self, digest):
        return self.path / "blobs" / "sha256" / digest.split(":", 1)[1]

    def read_blob(self, digest):
        return self.blob_path(digest).read_bytes()

    def write_blob(self, data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        self.blob_path(digest).write_bytes(data)
        return digest

    def index(self):
        return json.loads((self.path / "index.json").read_text())

    def descriptor(self, tag):
        for d in self.index()["manifests"]:
            if d.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
                return d
        raise KeyError(tag)

    def set_tag(self, tag, descriptor):
        index = self.index()
        index["manifests"] = [d for d in index["manifests"]
                              if d.get("annotations", {}).get("org.opencontainers.image.ref.name") != tag]
        descriptor = dict(descriptor)
        descriptor["annotations"] = {"org.opencontainers.image.ref.name": tag}
        index["manifests"].append(descriptor)
        (self.path / "index.json").write_text(json.dumps(index))

    def manifest(self, tag):
        return json.loads(self.read_blob(self.descriptor(tag)["digest"]))

    def add_layer(self, source_tag, tag, tar_bytes, created_by, cut=None):
        """A new tag: source_tag's image with one more gzip layer (cut to `cut` bytes if asked)."""
        manifest = self.manifest(source_tag)
        config = json.loads(self.read_blob(manifest["config"]["digest"]))
        blob = gzip.compress(tar_bytes, mtime=0)
        if cut is not None:
            blob = blob[:cut]
        digest = self.write_blob(blob)
        config["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(tar_bytes).hexdigest())
        config.setdefault("history", []).append({"created_by": created_by})
        config_bytes = json.dumps(config).encode()
        manifest["config"] = {"mediaType": "application/vnd.oci.image.config.v1+json",
                              "digest": self.write_blob(config_bytes), "size": len(config_bytes)}
        manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                   "digest": digest, "size": len(blob)})
        manifest_bytes = json.dumps(manifest).encode()
        self.set_tag(tag, {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "digest": self.write_blob(manifest_bytes), "size": len(manifest_bytes)})
        return digest


def tar_of(entries):
    """entries: (name, kind, data or link target, mode)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, payload, mode in entries:
            info = tarfile.TarInfo(name)
            info.mode = mode
            info.mtime = 1700000000
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def layer_one(rootfs, expected):
    write(rootfs / "bin" / "tool", b"#!/bin/sh\necho tool\n", 0o755)
    write(rootfs / "sbin" / "setuid-tool", pattern(300, "setuid"), 0o4755)
    write(rootfs / "etc" / "config", b"version=1\n")
    write(rootfs / "etc" / "passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    write(rootfs / "data" / "big.bin", pattern(100000, "big"))
    write(rootfs / "data" / "keep.txt", b"kept\n")
    write(rootfs / "olddir" / "a", pattern(2000, "olddir-a"))
    write(rootfs / "olddir" / "b" / "c", pattern(3000, "olddir-c"))
    write(rootfs / "opq" / "x", pattern(700, "opq-x"))
    write(rootfs / "opq" / "y", pattern(800, "opq-y"))
    write(rootfs / "over" / "file.txt", pattern(5000, "over-old"))
    write(rootfs / "links" / "hard1", pattern(4000, "hard"))
    os.link(rootfs / "links" / "hard1", rootfs / "links" / "hard2")
    os.symlink("../etc/config", rootfs / "links" / "rel")
    os.symlink("../../etc/passwd", rootfs / "links" / "escape")
    os.symlink("/etc/passwd", rootfs / "links" / "abs")
    os.symlink("../bin", rootfs / "links" / "bindir")
    weird = os.fsencode(rootfs / "weird")
    os.makedirs(weird, exist_ok=True)
    with open(weird + b"/caf\xe9-\x1b[31m", "wb") as f:
        f.write(b"latin-1 name\n")
    # What later layers overwrite or delete: dive's wasted bytes.
    expected["wasted"] = 100000 + 2000 + 3000 + 700 + 800 + 5000


def layer_two(rootfs):
    (rootfs / "data" / "big.bin").unlink()
    shutil.rmtree(rootfs / "olddir")
    write(rootfs / "over" / "file.txt", b"short now\n")
    write(rootfs / "new" / "hello.txt", b"hello\n")


def layer_three():
    entries = [("opq", "dir", b"", 0o755), ("opq/.wh..wh..opq", "file", b"", 0o644),
               ("opq/z", "file", b"only z is left\n", 0o644), ("top", "dir", b"", 0o755),
               ("top/message.txt", "file", b"from the top layer\n", 0o644)]
    return tar_of(entries)


def build_v2(layout, oci, root):
    bundle = root / "bundle-v2"
    run("umoci", "unpack", "--rootless", "--image", f"{oci}:v1", bundle)
    rootfs = bundle / "rootfs"
    write(rootfs / "etc" / "config", b"version=2\nmore=yes\n")
    (rootfs / "etc" / "passwd").unlink()
    os.chmod(rootfs / "bin" / "tool", 0o700)
    write(rootfs / "v2" / "added.txt", b"new in v2\n")
    run("umoci", "repack", "--refresh-bundle", "--image", f"{oci}:v2",
        "--history.created_by", "v2 changes", bundle)
    run("umoci", "config", "--image", f"{oci}:v2", "--config.env", "BERTH_CONTENTS=2",
        "--config.label", "org.berth.contents=v2", "--history.created_by", "v2 config")
    shutil.rmtree(bundle)


def main():
    root = Path(sys.argv[1]).resolve()
    oci = root / "oci"
    shutil.rmtree(oci, ignore_errors=True)
    layout = Layout(oci)
    expected = {}
    run("umoci", "init", "--layout", oci)
    run("umoci", "new", "--image", f"{oci}:v1")
    bundle = root / "bundle"
    run("umoci", "unpack", "--rootless", "--image", f"{oci}:v1", bundle)
    rootfs = bundle / "rootfs"
    layer_one(rootfs, expected)
    run("umoci", "repack", "--refresh-bundle", "--image", f"{oci}:v1",
        "--history.created_by", "layer 1: files and links", bundle)
    layer_two(rootfs)
    run("umoci", "repack", "--refresh-bundle", "--image", f"{oci}:v1",
        "--history.created_by", "layer 2: deletions", bundle)
    shutil.rmtree(bundle)
    third = layer_three()
    expected["topLayerTarSize"] = len(third)
    top = layout.add_layer("v1", "v1", third, "layer 3: an opaque folder")
    expected["topLayer"] = top
    build_v2(layout, oci, root)
    hostile = tar_of([("ok.txt", "file", b"fine\n", 0o644),
                      ("../escaped", "file", b"outside\n", 0o644),
                      ("a/../../escaped2", "file", b"outside too\n", 0o644)])
    expected["dotdotLayer"] = layout.add_layer("v1", "dotdot", hostile, "a hostile layer")
    big = tar_of([("filler/f%03d" % i, "file", pattern(3000, "fill%d" % i), 0o644)
                  for i in range(40)])
    full = len(gzip.compress(big, mtime=0))
    expected["truncatedLayer"] = layout.add_layer("v1", "truncated", big, "a cut layer",
                                                  cut=full // 2)
    for tag in ("v1", "v2"):
        target = root / f"rootfs-{tag}"
        shutil.rmtree(target, ignore_errors=True)
        run("umoci", "unpack", "--rootless", "--image", f"{oci}:{tag}", root / f"bundle-{tag}")
        os.rename(root / f"bundle-{tag}" / "rootfs", target)
        shutil.rmtree(root / f"bundle-{tag}")
    expected["layers"] = {tag: [l["digest"] for l in layout.manifest(tag)["layers"]]
                          for tag in ("v1", "v2")}
    (root / "fixture.json").write_text(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
