# Export and import on the embedded store (core/archive: layerflattener, imagechanges,
# filesystemimport): docker's --change instructions alone; layer flattening against the rootfs
# `umoci unpack` makes; import of plain and compressed filesystem tars read back by skopeo, round
# trips and hostile input. No services: umoci, skopeo and tar run locally. libarchive is linked
# for the raw headers the tests build.
berth_add_test(tst_imagechanges SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagechanges.cpp)
berth_add_test(tst_layerflattener SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_layerflattener.cpp
  LIBS LibArchive::LibArchive)
berth_add_test(tst_filesystemimport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_filesystemimport.cpp
  LIBS LibArchive::LibArchive)
