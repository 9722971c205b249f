# Pull limits: the ratelimit-* header parser (unit), and the transport recording what the test
# services' `ratelimit` front states (HEADs cost nothing, a GET one pull).
berth_add_test(tst_pullratelimit SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pullratelimit.cpp)
berth_add_test(tst_pullratelimit_services SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pullratelimit_services.cpp SERVICES)
