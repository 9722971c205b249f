# Save: images of the embedded store to a Docker 25 / OCI archive, and the file it goes to.
list(APPEND BERTH_CORE_SOURCES
  archive/outputfile.h archive/outputfile.cpp
  archive/archiveoutput.h archive/archiveoutput.cpp
  archive/imagesave.h archive/imagesave.cpp)
# Engines' tars compressed on their way out; import's URL form.
list(APPEND BERTH_CORE_SOURCES
  archive/compressedstream.h archive/compressedstream.cpp
  archive/urldownload.h archive/urldownload.cpp)
