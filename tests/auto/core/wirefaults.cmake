# Faults on the wire (issue 8): seeded connection drops, stalls, 5xx/429, lying framing, wrong
# bodies, redirects and untrusted TLS between Berth and the real registries, through
# tests/shared/faultproxy.h. BERTH_FAULT_SEED replays a run.
berth_add_test(tst_wirefaults SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wirefaults.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_wirefaults berthctl)
