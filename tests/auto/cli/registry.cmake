# berthctl's registry management verbs (issue 23) against the test services' registries. Each
# part keeps its block.

# untag and delete: plain, basic (docker's login), nodelete, and the fake Hub's tag API.
berth_add_test(tst_berthctl_registry SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_registry.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_registry berthctl)
