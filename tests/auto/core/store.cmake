# The embedded image store (core/store): its OCI layout on disk alone, then the backend against the
# real registries of the test services.
berth_add_test(tst_ocistore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_ocistore.cpp LIBS Qt6::Concurrent)
berth_add_test(tst_embeddedbackend SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_embeddedbackend.cpp SERVICES TIMEOUT 600)
# `docker history` rows, layer sizes, in-use refusals and engine events, without an engine.
berth_add_test(tst_imagehistory SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagehistory.cpp)
