seedcanvas_add_test(NAME conformance_diffusion_models SOURCES ${TEST_AREA_DIR}/test_diffusion_models.cpp
                    LIBS seedcanvas_testsupport LABELS conformance)
