# berthctl ratelimit: the test services' pull-limit front (text, JSON, HEAD only) and the plain
# registry, which states no limit.
berth_add_test(tst_berthctl_ratelimit SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_ratelimit.cpp SERVICES)
add_dependencies(tst_berthctl_ratelimit berthctl)
