# A hostile registry (issue 19), in process: header injection through a token, Link loops in tag
# lists, a million-tag repository, a server dripping a byte at a time, blob HEADs that say yes to
# everything, an oversized manifest. No services.
berth_add_test(tst_hostileregistry SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_hostileregistry.cpp)
add_dependencies(tst_hostileregistry berthctl)
