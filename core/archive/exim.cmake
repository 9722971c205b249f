# Export and import: an image's layers flattened into one filesystem tar, and a filesystem tar
# (with docker's --change instructions) into a one-layer image.
list(APPEND BERTH_CORE_SOURCES
  archive/layerflattener.h archive/layerflattener.cpp
  archive/imagechanges.h archive/imagechanges.cpp
  archive/filesystemimport.h archive/filesystemimport.cpp)
