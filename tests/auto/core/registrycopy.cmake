# Copy between registries (issue 23): core/registryops/registrycopy.h against the real registries
# of the test services (plain, basic, token), with tests/shared/faultproxy.h in front of a source
# for drops, corrupt bytes and a cancel mid-blob, and to record the requests a copy sends.
berth_add_test(tst_registrycopy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registrycopy.cpp SERVICES TIMEOUT 600)
# The bounded pipe between a blob's download and its upload, with threads on both ends.
berth_add_test(tst_blobpipe SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_blobpipe.cpp)
