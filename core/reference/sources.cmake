list(APPEND BERTH_CORE_SOURCES
  reference/imagereference.h reference/imagereference.cpp)
