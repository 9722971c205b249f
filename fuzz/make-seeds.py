#!/usr/bin/env python3
"""Writes the hand-made seeds of every fuzz target into fuzz/seeds/<target>/ (run from anywhere).

The committed corpus (fuzz/corpus/) is what afl-cmin kept of these seeds plus what fuzzing found;
rerun this only to start a corpus afresh. Image archives are made here with correct digests so
the fuzzer starts from archives that load, not from ones refused at the first hash."""
import gzip, hashlib, io, json, os, pathlib, tarfile

root = pathlib.Path(__file__).resolve().parent
data = root.parent / "tests" / "data"
seeds = root / "seeds"


def put(target, name, content):
    d = seeds / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(content if isinstance(content, bytes) else content.encode())


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def tar(entries, fmt=tarfile.PAX_FORMAT):
    """entries: (name, bytes | None for a dir | ('sym', target) | ('hard', target))"""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                t.addfile(info)
            elif isinstance(content, tuple):
                info.type = tarfile.SYMTYPE if content[0] == "sym" else tarfile.LNKTYPE
                info.linkname = content[1]
                t.addfile(info)
            else:
                info.size, info.mode = len(content), 0o644
                t.addfile(info, io.BytesIO(content))
    return out.getvalue()


# --- reference -----------------------------------------------------------------------------------
for i, text in enumerate([
        "node", "node:20-alpine", "library/node:latest", "docker.io/jean/mon-app:1.0.0",
        "localhost:5000/x/y:z", "[::1]:5000/team/app@sha256:" + "a" * 64,
        "ghcr.io/o/r:tag@sha256:" + "0123456789abcdef" * 4, "index.docker.io/library/busybox",
        "registry-1.docker.io/a/b", "https://index.docker.io/v1/", "sha256:" + "f" * 64,
        "sha512:" + "e" * 128, "linux/arm64/v8", "windows/amd64", "a__b--c.d/e:_tag.-x",
        "UPPER/case", "host:port:too/many", "example.com:65536/x", ""]):
    put("reference", f"seed-{i:02d}", text)

# --- authchallenge -------------------------------------------------------------------------------
for i, text in enumerate([
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
        'Basic realm="Registry Realm"',
        'Basic realm="x", Bearer realm="y",service="z"',
        'Bearer realm="https://a/t",error="insufficient_scope",scope="repository:x:pull,push"',
        'Negotiate, Bearer realm="q\\"uoted\\\\"',
        'Bearer realm=unquoted , ,Basic',
        'Custom token68abc==, Basic realm=""']):
    put("authchallenge", f"seed-{i:02d}", text)

# --- manifest (first byte: the Content-Type selector) --------------------------------------------
for i, f in enumerate(sorted((data / "manifests").glob("*.json"))):
    put("manifest", f.stem, bytes([i % 6]) + f.read_bytes())

# --- hubjson ------------------------------------------------------------------------------------
for f in sorted((data / "hub").glob("*.json")):
    body = f.read_bytes()
    if f.name.startswith("tags-"):
        page = json.loads(body)
        page["results"] = page["results"][:2]  # the shape, not 100 copies of it
        body = json.dumps(page).encode()
        if f.name != "tags-node-page1.json":
            continue
    put("hubjson", f.stem, body)
put("hubjson", "error", '{"message":"too many requests","errors":[{"message":"x"}]}')

# --- imageload ----------------------------------------------------------------------------------
layer = tar([("etc/", None), ("etc/hostname", b"berth\n"), ("bin/sh", ("sym", "/bin/busybox"))])
config = json.dumps({
    "architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
    "rootfs": {"type": "layers", "diff_ids": [sha(layer)]},
    "history": [{"created_by": "fuzz"}]}, separators=(",", ":")).encode()
config_id = hashlib.sha256(config).hexdigest()
layer_hex = hashlib.sha256(layer).hexdigest()

# docker-archive, Docker 25 layout (blobs/sha256/ plus manifest.json and an OCI index)
manifest = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha(layer), "size": len(layer)}],
}, separators=(",", ":")).encode()
index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [{
    "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(manifest), "size": len(manifest),
    "annotations": {"io.containerd.image.name": "docker.io/library/fuzz:1", "org.opencontainers.image.ref.name": "1"}}]},
    separators=(",", ":")).encode()
docker_manifest = json.dumps([{"Config": f"blobs/sha256/{config_id}", "RepoTags": ["fuzz:1"],
                               "Layers": [f"blobs/sha256/{layer_hex}"]}]).encode()
docker25 = tar([("blobs/", None), ("blobs/sha256/", None),
                (f"blobs/sha256/{config_id}", config), (f"blobs/sha256/{layer_hex}", layer),
                (f"blobs/sha256/{sha(manifest)[7:]}", manifest),
                ("index.json", index), ("manifest.json", docker_manifest),
                ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')])
put("imageload", "docker25.tar", docker25)
put("imageload", "docker25.tar.gz", gzip.compress(docker25, mtime=0))

# oci-archive (podman, skopeo): no manifest.json, ref.name annotation
oci = tar([("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index),
           (f"blobs/sha256/{config_id}", config), (f"blobs/sha256/{layer_hex}", layer),
           (f"blobs/sha256/{sha(manifest)[7:]}", manifest)])
put("imageload", "oci.tar", oci)

# the legacy docker layout: <id>/layer.tar and <config id>.json
legacy = tar([(f"{layer_hex}/", None), (f"{layer_hex}/layer.tar", layer),
              (f"{config_id}.json", config),
              ("manifest.json", json.dumps([{"Config": f"{config_id}.json", "RepoTags": ["legacy:2"],
                                             "Layers": [f"{layer_hex}/layer.tar"]}]).encode()),
              ("repositories", json.dumps({"legacy": {"2": layer_hex}}).encode())],
             fmt=tarfile.USTAR_FORMAT)
put("imageload", "legacy.tar", legacy)

# --- fsimport -----------------------------------------------------------------------------------
rootfs = tar([("./", None), ("./etc/", None), ("./etc/os-release", b"ID=fuzz\n"),
              ("./bin/", None), ("./bin/busybox", b"\x7fELF" + b"\0" * 60),
              ("./bin/sh", ("sym", "busybox")), ("./bin/ls", ("hard", "./bin/busybox"))])
put("fsimport", "rootfs.tar", rootfs)
put("fsimport", "rootfs.tar.gz", gzip.compress(rootfs, mtime=0))
put("fsimport", "gnu.tar", tar([("a/" + "long" * 40, b"x"), ("dir/", None)], fmt=tarfile.GNU_FORMAT))
put("fsimport", "empty.tar", b"\0" * 1024)

# --- layerindex ---------------------------------------------------------------------------------
# Byte 0 even: a layer blob, fed in pieces of 1 + 97 * byte 1; odd: an index file (the indexer's
# own files come from bench/layer-index-bench --index, prefixed with b"\\x01\\x00").
layer = tar([("./", None), ("etc/", None), ("etc/.wh.passwd", b""), ("var/lib/apt/", None),
             ("var/lib/apt/.wh..wh..opq", b""), ("var/lib/apt/lists", b"x" * 300),
             ("bin/busybox", b"\x7fELF" + b"\0" * 60), ("bin/sh", ("hard", "./bin/busybox")),
             ("bin/ls", ("sym", "busybox")), ("caf\udce9", b"latin-1")], fmt=tarfile.GNU_FORMAT)
put("layerindex", "layer.tar", b"\x00\x00" + layer)
put("layerindex", "layer.tar.gz", b"\x00\x05" + gzip.compress(layer, mtime=0))
put("layerindex", "empty.tar", b"\x00\x00" + b"\0" * 1024)
print("seeds written to", seeds)
