# Looking inside images (core/contents): the index file format (sorted records, implicit parents,
# runs spilled to disk and merged, damaged files refused). Pure, no services.
berth_add_test(tst_indexfile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_indexfile.cpp)
