# The engine backend (core/store/enginebackend) against the dockerd and podman service the test
# services start with `--with docker,podman`.
berth_add_test(tst_enginebackend SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_enginebackend.cpp SERVICES TIMEOUT 900)
# History, platforms, in-use refusals and the event stream (core/store/engineimages.cpp,
# engineevents.cpp) against both engines.
berth_add_test(tst_engineimages SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_engineimages.cpp SERVICES TIMEOUT 600)
