# Load: an image archive (docker, podman, skopeo; plain or compressed) into the embedded store, and
# the entry checks every archive path shares.
list(APPEND BERTH_CORE_SOURCES
  archive/archiveentrycheck.h archive/archiveentrycheck.cpp
  archive/layerverifier.h archive/layerverifier.cpp
  archive/gzipsource.h archive/gzipsource.cpp
  archive/imageload.h archive/imageload.cpp)
