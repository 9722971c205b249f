# The delaying TCP pipe of bench/latency-bench and its reading of HTTP/1.1 (tests/shared/delaypipe.h,
# httpflow.h): bytes intact, round trips at least the delay, exchanges paired however split.
berth_add_test(tst_delaypipe SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_delaypipe.cpp)
# Requests and connections per operation, counted by the pipe in front of the real registries.
berth_add_test(tst_roundtrips SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_roundtrips.cpp SERVICES)
