# The Files tab: an image's files as a tree with its layers, filter, wasted space, largest files,
# a bounded preview and Save As (the models and jobs are in models/imagefiles.cmake).
list(APPEND BERTH_UI_SOURCES
  filepreview.h filepreview.cpp
  imagefilesview.h imagefilesview.cpp)
