# Proxies (core/network): NO_PROXY's rules and the proxy decision per URL, pure.
berth_add_test(tst_noproxy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_noproxy.cpp)
berth_add_test(tst_proxypolicy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_proxypolicy.cpp)
