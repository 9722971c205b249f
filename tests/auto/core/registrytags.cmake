# listRegistryTags (core/registry/registrytags.cpp) against the plain test registry, through the
# fault proxy for the per-tag problems: partial batches, indexes, failures.
berth_add_test(tst_registrytags SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registrytags.cpp SERVICES TIMEOUT 300)
