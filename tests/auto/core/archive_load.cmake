# Archive primitives (core/archive: tar reader and writer, entry-path rules) with no services, and
# image archive loading into the embedded store against archives skopeo and umoci write, plus
# handmade legacy-layout and hostile archives. libarchive is linked for the raw headers the
# hostile corpus needs.
berth_add_test(tst_tararchive SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_tararchive.cpp
  LIBS LibArchive::LibArchive)
berth_add_test(tst_imageload SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imageload.cpp
  LIBS LibArchive::LibArchive TIMEOUT 600)
# The layer check on arrival: gzip through igzip, plain tars straight to the tar reader, zstd and
# others through libarchive, with hostile and broken rows.
berth_add_test(tst_layerverifier SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_layerverifier.cpp
  LIBS LibArchive::LibArchive)
# The early tell of a filesystem tar given to load: the probe over entry names and the tar-header
# scanner of engine uploads, over archives the system's tar writes in every format.
berth_add_test(tst_archivelayout SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_archivelayout.cpp)
