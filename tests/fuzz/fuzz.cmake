# libFuzzer targets for the weight-file parsers (tests/fuzz/standalone).
# With SEEDCANVAS_FUZZ=ON (clang, the `fuzz` preset) they are part of this build; otherwise the
# `slow` test fuzz_smoke builds them separately with clang-14 under the build tree and runs each
# for 30 s (skipped when clang-14/libclang-rt-14-dev are missing).
if(SEEDCANVAS_FUZZ)
  add_subdirectory(${TEST_AREA_DIR}/standalone ${CMAKE_BINARY_DIR}/fuzz-targets)
endif()
add_test(NAME fuzz_smoke COMMAND ${CMAKE_COMMAND}
         -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DWORK_DIR=${CMAKE_BINARY_DIR}/fuzz-smoke -DSECONDS=30
         -DFIXTURES=${SEEDCANVAS_DEFAULT_FIXTURES} -DGENERATOR=${CMAKE_GENERATOR}
         -P ${TEST_AREA_DIR}/standalone/fuzz_smoke.cmake)
set_tests_properties(fuzz_smoke PROPERTIES LABELS slow TIMEOUT 900 SKIP_REGULAR_EXPRESSION "FUZZ-SMOKE-SKIPPED")
