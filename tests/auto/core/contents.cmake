# Looking inside images (core/contents): the index file format (sorted records, implicit parents,
# runs spilled to disk and merged, damaged files refused). Pure, no services.
berth_add_test(tst_indexfile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_indexfile.cpp)
# The layer indexer over layers built in the test (plain, gzip, zstd; whiteouts, links, devices,
# non-UTF-8 names, duplicates; hostile and broken layers refused naming the layer). No services.
berth_add_test(tst_layerindexer SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_layerindexer.cpp
  LIBS LibArchive::LibArchive)
# The layer index cache: hits touch, trim evicts least recently used first sparing what it keeps,
# damaged files are misses, two processes share one directory (the test starts itself again).
berth_add_test(tst_layerindexcache SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_layerindexcache.cpp)
