seedcanvas_add_test(NAME unit_llm_session SOURCES ${TEST_AREA_DIR}/test_llm_session.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
