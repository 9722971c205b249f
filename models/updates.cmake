# Updates available: which local images' tags moved on in their registries (issue 23).
list(APPEND BERTH_MODELS_SOURCES
  updatechecker.h updatechecker.cpp)
