# docs/man/berthctl.1 and berth.1 against the built berthctl and berth (their --help), the sources'
# environment variables and groff's warnings.
berth_add_test(tst_manpages SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_manpages.cpp TIMEOUT 600)
add_dependencies(tst_manpages berthctl berth)
