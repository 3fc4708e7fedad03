# seedcanvas-bench pipeline in its tiny mode on the CPU: the full request runs and reports
# every figure (the real sizes are for the GPU machine).
seedcanvas_add_test(NAME unit_bench_pipeline SOURCES ${TEST_AREA_DIR}/test_bench_pipeline.cpp
                    LIBS seedcanvas_testsupport Qt6::Core LABELS unit TIMEOUT 120)
target_compile_definitions(unit_bench_pipeline PRIVATE SEEDCANVAS_BENCH_PATH="$<TARGET_FILE:seedcanvas-bench>")
add_dependencies(unit_bench_pipeline seedcanvas-bench)
