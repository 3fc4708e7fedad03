seedcanvas_add_test(NAME unit_safetensors SOURCES ${TEST_AREA_DIR}/test_safetensors.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
