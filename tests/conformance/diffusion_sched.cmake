seedcanvas_add_test(NAME conformance_diffusion_schedulers
                    SOURCES ${TEST_AREA_DIR}/test_diffusion_schedulers.cpp
                    LIBS seedcanvas_testsupport LABELS conformance)
