seedcanvas_add_test(NAME unit_clip_bpe SOURCES ${TEST_AREA_DIR}/test_clip_bpe.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
