# berthctl manifest create|inspect|push|rm against the real registries of the test services.
berth_add_test(tst_berthctl_manifest SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_manifest.cpp SERVICES TIMEOUT 600)
add_dependencies(tst_berthctl_manifest berthctl)
