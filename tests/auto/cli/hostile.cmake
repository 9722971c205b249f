# Hostile peers (issue 19): what registries, the Hub and engines send is shown on a terminal as
# visible escapes, never obeyed; tag names outside the grammar are left out; archives are never
# written through a symbolic link. In-process fakes and the embedded store: no services.
berth_add_test(tst_terminaltext SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_terminaltext.cpp LIBS berth_cli)
berth_add_test(tst_berthctl_hostile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_hostile.cpp)
add_dependencies(tst_berthctl_hostile berthctl)
