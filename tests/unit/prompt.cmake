seedcanvas_add_test(NAME unit_prompt SOURCES ${TEST_AREA_DIR}/test_prompt.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
