seedcanvas_add_test(NAME unit_sampler SOURCES ${TEST_AREA_DIR}/test_sampler.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
