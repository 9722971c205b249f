# The in-memory ImageBackend of tests/shared (fakebackend) that the model and widget tests drive:
# its real behaviour (pull, tag, remove, prune, save/load, export/import) and its scripting
# (progress in steps, failure, waiting, cancellation). No service.
berth_add_test(tst_fakebackend SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_fakebackend.cpp TIMEOUT 60)
