seedcanvas_add_test(NAME unit_llm_session SOURCES ${TEST_AREA_DIR}/test_llm_session.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
seedcanvas_add_test(NAME unit_chat_session SOURCES ${TEST_AREA_DIR}/test_chat_session.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
seedcanvas_add_test(NAME unit_decode_kernels SOURCES ${TEST_AREA_DIR}/test_decode_kernels.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
