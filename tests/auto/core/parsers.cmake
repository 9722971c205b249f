# Pure parsers: references, manifests, configs, WWW-Authenticate. No services, no network.
berth_add_test(tst_imagereference SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagereference.cpp)
berth_add_test(tst_manifest SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_manifest.cpp)
berth_add_test(tst_authchallenge SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_authchallenge.cpp)
