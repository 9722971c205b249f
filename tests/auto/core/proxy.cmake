# Proxies (core/network): NO_PROXY's rules and the proxy decision per URL, pure.
berth_add_test(tst_noproxy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_noproxy.cpp)
berth_add_test(tst_proxypolicy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_proxypolicy.cpp)
# Both HTTP stacks through the test services' squid proxies (open, and Basic auth).
berth_add_test(tst_proxyroutes SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_proxyroutes.cpp SERVICES)
# A Docker engine's own proxy (GET /info) against Berth's decision: the note of berthctl pull.
berth_add_test(tst_engineproxy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineproxy.cpp)
