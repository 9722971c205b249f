# Repository page: two tags side by side (layers, config settings, size per platform).
list(APPEND BERTH_UI_SOURCES
  tagcompareview.h tagcompareview.cpp
  filecompareview.h filecompareview.cpp)
