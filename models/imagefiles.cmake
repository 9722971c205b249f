# The Files tab: an image's files as a lazy tree over an index file, and its filter.
list(APPEND BERTH_MODELS_SOURCES
  imagefilesfilter.h imagefilesfilter.cpp
  imagefilesmodel.h imagefilesmodel.cpp)
