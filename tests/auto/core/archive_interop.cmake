# Archives against the real peers: docker, podman and skopeo load what Berth saves and the other
# way round; export against `docker export`; import from a URL; the engines' archive API.
berth_add_test(tst_archiveinterop SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_archiveinterop.cpp
  LIBS LibArchive::LibArchive SERVICES TIMEOUT 900)
