# Two tags' files compared (look inside both images, then the differences as a tree), and the
# filter that keeps the added, changed or deleted rows of that tree.
list(APPEND BERTH_MODELS_SOURCES
  tagfilescomparer.h tagfilescomparer.cpp comparefilesjob.cpp
  filechangesfilter.h filechangesfilter.cpp)
