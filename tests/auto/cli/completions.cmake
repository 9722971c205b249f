# berthctl images --format '{{.Repository}}:{{.Tag}}', the machine-readable list the shell
# completions read.
berth_add_test(tst_formattemplate SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_formattemplate.cpp LIBS berth_cli)
# completions/: bash's, zsh's and fish's driven for real (verbs and options against berthctl's
# --help, option values, the name of an image in the test's own embedded store).
berth_add_test(tst_completions SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_completions.cpp TIMEOUT 600)
add_dependencies(tst_completions berthctl)
