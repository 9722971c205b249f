# Two tags of a repository compared side by side, asynchronously, following the selection.
list(APPEND BERTH_MODELS_SOURCES
  tagcomparer.h tagcomparer.cpp)
