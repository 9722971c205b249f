# The Files tab: an image's files as a lazy tree over an index file, and its filter; the
# TransferManager jobs that look inside an image and save files out of it.
list(APPEND BERTH_MODELS_SOURCES
  imagefilesfilter.h imagefilesfilter.cpp
  imagefilesmodel.h imagefilesmodel.cpp
  filesjobs.cpp)
