# berthctl behind the test services' squid proxies: pull, push, search and import through the
# proxy, NO_PROXY, the Basic-auth proxy, a proxy that is down.
berth_add_test(tst_berthctl_proxy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_proxy.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_proxy berthctl)
