# Tar archives through libarchive: streaming reader and writer, entry-path safety, and the image
# archive operations built on them (save, load, export, import).
list(APPEND BERTH_CORE_SOURCES
  archive/utf8locale.h archive/utf8locale.cpp
  archive/entrypath.h archive/entrypath.cpp
  archive/tarreader.h archive/tarreader.cpp
  archive/tarwriter.h archive/tarwriter.cpp
  archive/archivetypes.h archive/archivetypes.cpp)
