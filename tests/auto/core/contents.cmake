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
# Files out of a layer as it streams (core/contents/layerextract): gzip, zstd and plain layers,
# the early stop, hard links, hostile names and links, a destination full of planted links, names
# that are not UTF-8, devices, missing files and broken layers; folder, tar and stream targets.
berth_add_test(tst_layerextract SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_layerextract.cpp
  ${CMAKE_CURRENT_LIST_DIR}/testlayers.h LIBS LibArchive::LibArchive)
# Where an image's layers come from (core/imagefiles): a pushed multi-layer image described and
# fetched from the real registry, archives of Berth's save and skopeo, the embedded store, and the
# real dockerd and podman (so it takes their lock).
berth_add_test(tst_contentssources SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_contentssources.cpp SERVICES TIMEOUT 600)
set_property(TEST tst_contentssources APPEND PROPERTY RESOURCE_LOCK berth-engines)
# An image's tree merged from layer indexes (whiteouts, opaque directories, replaced types, layer
# views, per-layer statistics and wasted bytes), its largest files and symbolic links. Pure.
berth_add_test(tst_imagetree SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagetree.cpp)
# Two image trees compared as `docker diff` does (A, C, D with sizes), as a list and as a tree.
berth_add_test(tst_treediff SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_treediff.cpp)
# Loading an image's contents through the index cache (core/imagefiles/imagecontents): the second
# look fetches nothing, an evicted layer alone is fetched, cancel, a lying layer, views and diffs.
# The image is an OCI archive the test writes: no services.
berth_add_test(tst_imagecontents SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagecontents.cpp)
# The archive source over archives built entry by entry: a layer through a symbolic link (podman),
# and hostile or broken archives refused naming the archive and what is wrong. No services.
berth_add_test(tst_archivesource SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_archivesource.cpp)
