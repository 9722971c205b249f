#!/usr/bin/env python3
"""Writes search-v4-official.json and logos/<name>.png: Docker Hub's official images as the v4
search lists them, for Explore's start page.

Deterministic. The results are NOT in pull order (the fake Hub sorts them when asked, as the Hub
does for sort=pull_count&order=desc), their logo URLs start with @HUB@ (the fake Hub puts its own
address there), and each logo is a 64x64 PNG of one colour, written without any imaging library.
"""
import json
import random
import struct
import zlib

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."

# name, short description, pulls, stars
IMAGES = [
    ("nginx", "Official build of Nginx.", 10_934_520_115, 20_045),
    ("alpine", "A minimal Docker image based on Alpine Linux with a complete package index "
     "and only 5 MB in size!", 8_012_774_301, 11_042),
    ("busybox", "Busybox base image.", 7_604_113_987, 3_301),
    ("ubuntu", "Ubuntu is a Debian-based Linux operating system based on free software.",
     9_120_441_002, 17_412),
    ("python", "Python is an interpreted, interactive, object-oriented, open-source "
     "programming language.", 7_990_100_554, 9_877),
    ("redis", "Redis is the world's fastest data platform for caching, vector search, and "
     "NoSQL databases.", 6_002_345_120, 13_012),
    ("postgres", "The PostgreSQL object-relational database system provides reliability and "
     "data integrity.", 5_771_903_211, 14_230),
    ("node", "Node.js is a JavaScript-based platform for server-side and networking "
     "applications.", 4_728_203_312, 13_456),
    ("httpd", "The Apache HTTP Server Project", 4_102_338_776, 4_899),
    ("mongo", "MongoDB document databases provide high availability and easy scalability.",
     3_902_210_543, 10_221),
    ("memcached", "Free & open source, high-performance, distributed memory object caching "
     "system.", 2_553_108_122, 2_301),
    ("mysql", "MySQL is a widely used, open-source relational database management system "
     "(RDBMS).", 3_405_889_001, 15_230),
    ("traefik", "Traefik, The Cloud Native Edge Router", 3_201_774_555, 3_288),
    ("mariadb", "MariaDB Server is a high performing open source relational database, forked "
     "from MySQL.", 2_901_556_889, 5_990),
    ("docker", "Docker in Docker!", 2_304_553_112, 5_102),
    ("rabbitmq", "RabbitMQ is an open source multi-protocol messaging broker.",
     2_123_400_876, 5_220),
    ("hello-world", "Hello World! (an example of minimal Dockerization)", 2_045_672_003, 2_411),
    ("golang", "Go (golang) is a general purpose, higher-level, imperative programming "
     "language.", 1_990_334_221, 4_902),
    ("registry", "Distribution implementation for storing and distributing of container "
     "images and artifacts", 1_851_003_664, 4_044),
    ("debian", "Debian is a Linux distribution that's composed entirely of free and "
     "open-source software.", 1_700_228_091, 5_120),
    ("php", "While designed for web development, the PHP scripting language also provides "
     "general-purpose use.", 1_602_544_019, 7_601),
    ("wordpress", "The WordPress rich content management system can utilize plugins, "
     "widgets, and themes.", 1_501_220_117, 5_688),
    ("openjdk", "Pre-release / non-production builds of OpenJDK", 1_455_100_220, 4_120),
    ("sonarqube", "SonarQube is an open source platform for continuous inspection of code "
     "quality.", 1_020_556_003, 2_490),
    ("haproxy", "HAProxy - The Reliable, High Performance TCP/HTTP Load Balancer",
     998_003_115, 1_922),
    ("consul", "Consul is a datacenter runtime that provides service discovery, "
     "configuration, and orchestration.", 889_120_440, 1_433),
    ("influxdb", "InfluxDB is an open source time series database for recording metrics, "
     "events, and analytics.", 801_334_998, 1_971),
    ("eclipse-mosquitto", "Eclipse Mosquitto is an open source message broker which "
     "implements MQTT version 5, 3.1.1 and 3.1", 700_221_667, 1_420),
    ("centos", "DEPRECATED; The official build of CentOS.", 690_004_331, 7_812),
    ("elasticsearch", "Elasticsearch is a powerful open source search and analytics engine "
     "that makes data easy to explore.", 655_117_890, 6_302),
]


def png(width, height, rgb):
    """A PNG of one colour: signature, IHDR, one IDAT, IEND."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then RGB pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def result(index, name, description, pulls, stars):
    logo = f"@HUB@/logos/library/{name}.png"
    return {
        "id": name, "name": name, "slug": name, "type": "image",
        "publisher": {"id": "docker", "name": "Docker Official Images"},
        "updated_at": f"2024-05-{1 + index % 28:02d}T10:00:00Z",
        "short_description": description,
        "badge": "official",
        "star_count": stars,
        # The Hub sends big counts as strings; a few as numbers, as it sometimes does.
        "pull_count": str(pulls) if index % 3 else pulls,
        "logo_url": {"large": logo, "small": logo},
        "architectures": [{"name": "amd64", "label": "x86-64"},
                          {"name": "arm64", "label": "ARM 64"}],
        "operating_systems": [{"name": "linux", "label": "Linux"}],
    }


def main():
    results = [result(i, *image) for i, image in enumerate(IMAGES)]
    random.Random(20).shuffle(results)
    with open(f"{HERE}/search-v4-official.json", "w") as out:
        json.dump({"total": len(results), "results": results}, out, indent=1)
        out.write("\n")
    colours = random.Random(7)
    for name, *_ in IMAGES:
        rgb = (colours.randrange(40, 220), colours.randrange(40, 220), colours.randrange(40, 220))
        with open(f"{HERE}/logos/{name}.png", "wb") as out:
            out.write(png(64, 64, rgb))


if __name__ == "__main__":
    main()
