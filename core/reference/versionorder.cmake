# Tags compared as versions (1, 2, 10) and the most specific tag of an image first.
list(APPEND BERTH_CORE_SOURCES
  reference/versionorder.h reference/versionorder.cpp)
