# berthctl images --format '{{.Repository}}:{{.Tag}}', the machine-readable list the shell
# completions read.
berth_add_test(tst_formattemplate SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_formattemplate.cpp LIBS berth_cli)
