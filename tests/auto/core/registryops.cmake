# Registry management (core/registryops), issue 23. Each part keeps its block.

# Delete and untag against the real registries (deletes on: plain, basic, token; off: nodelete)
# and Docker Hub's tag API on the fake Hub.
berth_add_test(tst_registrydelete SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_registrydelete.cpp SERVICES TIMEOUT 600)
