# Two images side by side: layers aligned by digest, config settings, size per platform.
list(APPEND BERTH_CORE_SOURCES
  registry/imagecomparison.h registry/imagecomparison.cpp)
