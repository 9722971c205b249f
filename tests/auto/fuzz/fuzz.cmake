# The fuzz targets (fuzz/targets/) replayed over their committed corpus (fuzz/corpus/<target>/) and
# every crasher fuzzing found (fuzz/regressions/<target>/), in this build's sanitizers: a plain
# driver calling LLVMFuzzerTestOneInput on each file, failing on an abort or a sanitizer report.
set(BERTH_FUZZ_DIR ${CMAKE_SOURCE_DIR}/fuzz)
file(GLOB fuzz_targets CONFIGURE_DEPENDS ${BERTH_FUZZ_DIR}/targets/fuzz_*.cpp)
foreach(source ${fuzz_targets})
  get_filename_component(target ${source} NAME_WE)
  string(REPLACE "fuzz_" "" short ${target})
  berth_add_test(tst_fuzz_${short} SOURCES ${source} ${BERTH_FUZZ_DIR}/targets/replay.cpp TIMEOUT 300)
  target_include_directories(tst_fuzz_${short} PRIVATE ${BERTH_FUZZ_DIR}/targets)
  target_compile_definitions(tst_fuzz_${short} PRIVATE
    BERTH_FUZZ_CORPUS="${BERTH_FUZZ_DIR}/corpus/${short}"
    BERTH_FUZZ_REGRESSIONS="${BERTH_FUZZ_DIR}/regressions/${short}")
endforeach()
