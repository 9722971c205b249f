# HTTP statuses read as errors (core/http/httpstatus), in each context that reads them.
berth_add_test(tst_httpstatus SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_httpstatus.cpp)
# One libcurl exchange on the calling thread (core/http/curlexchange) against the in-process server.
berth_add_test(tst_curlexchange SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_curlexchange.cpp)
