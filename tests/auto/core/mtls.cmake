# certs.d against a real registry that wants a client certificate from a private CA (issue 24),
# through berthctl: Qt's stack (inspect) and libcurl's (pull's blobs).
berth_add_test(tst_mtls SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_mtls.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_mtls berthctl)
