seedcanvas_add_test(NAME conformance_diffusion_runs
                    SOURCES ${TEST_AREA_DIR}/test_diffusion_runs.cpp
                    LIBS seedcanvas_testsupport LABELS conformance)
