# Oversized and deeply nested JSON refused by every registry and Hub parser.
berth_add_test(tst_jsonbounds SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsonbounds.cpp)
