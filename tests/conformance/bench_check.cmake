# The Qt-free conformance runner the GPU machine uses (`seedcanvas-bench check`), run here on
# the CPU so it stays in step with the Qt Test conformance tests it mirrors.
if(TARGET seedcanvas-bench)
  add_test(NAME conformance_bench_check
           COMMAND bash ${TEST_AREA_DIR}/bench_check.sh $<TARGET_FILE:seedcanvas-bench>)
  set_tests_properties(conformance_bench_check PROPERTIES LABELS conformance TIMEOUT 600 SKIP_RETURN_CODE 77
    ENVIRONMENT "SEEDCANVAS_DEFAULT_FIXTURES=${SEEDCANVAS_DEFAULT_FIXTURES};SEEDCANVAS_BUILD_DIR=${CMAKE_BINARY_DIR}")
endif()
