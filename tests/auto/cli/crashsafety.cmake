# berthctl killed with SIGKILL at random moments of pull, load, import, prune and rmi (issue 8).
berth_add_test(tst_crashsafety SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_crashsafety.cpp SERVICES TIMEOUT 1500)
add_dependencies(tst_crashsafety berthctl)
