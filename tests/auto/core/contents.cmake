# Looking inside images (core/contents): the index file format (sorted records, implicit parents,
# runs spilled to disk and merged, damaged files refused). Pure, no services.
berth_add_test(tst_indexfile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_indexfile.cpp)
# Where an image's layers come from (core/imagefiles): a pushed multi-layer image described and
# fetched from the real registry, archives of Berth's save and skopeo, the embedded store, and the
# real dockerd and podman (so it takes their lock).
berth_add_test(tst_contentssources SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_contentssources.cpp SERVICES TIMEOUT 600)
set_property(TEST tst_contentssources APPEND PROPERTY RESOURCE_LOCK berth-engines)
