# `berthctl load` of a filesystem tar: the message names what the archive is and the verb that
# takes it. The embedded store only: no services.
berth_add_test(tst_berthctl_load SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_load.cpp)
add_dependencies(tst_berthctl_load berthctl)
