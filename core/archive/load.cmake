# Load: an image archive (docker, podman, skopeo; plain or compressed) into the embedded store, the
# entry checks every archive path shares, and the early tell of a filesystem tar given to load.
list(APPEND BERTH_CORE_SOURCES
  archive/archiveentrycheck.h archive/archiveentrycheck.cpp
  archive/archivelayout.h archive/archivelayout.cpp
  archive/layerverifier.h archive/layerverifier.cpp
  archive/gzipsource.h archive/gzipsource.cpp
  archive/imageload.h archive/imageload.cpp)
