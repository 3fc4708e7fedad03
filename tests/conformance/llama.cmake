seedcanvas_add_test(NAME conformance_llama SOURCES ${TEST_AREA_DIR}/test_llama.cpp
                    LIBS seedcanvas_testsupport LABELS conformance)
