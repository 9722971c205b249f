# Multi-platform images: a manifest list pushed as a Transfers job.
list(APPEND BERTH_MODELS_SOURCES
  manifestjobs.cpp)
