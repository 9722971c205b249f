# berthctl's look-inside verbs (issue 22): IMAGE, IMAGE:/PATH and PATH as the verbs read them
# (no services); ls, cat, cp, diff and du end to end against the real registries, on images
# contentsfixture.py builds with umoci (whiteouts, an opaque folder, links, hostile names and
# layers), checked against umoci's own unpacked rootfs and the registry's access log.
berth_add_test(tst_imagespec SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_imagespec.cpp LIBS berth_cli)
berth_add_test(tst_berthctl_contents SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_berthctl_contents.cpp
  SERVICES TIMEOUT 600 LIBS berth_contents)
target_compile_definitions(tst_berthctl_contents PRIVATE
  BERTH_CONTENTS_FIXTURE="${CMAKE_CURRENT_LIST_DIR}/contentsfixture.py")
add_dependencies(tst_berthctl_contents berthctl)
