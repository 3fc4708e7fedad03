seedcanvas_add_test(NAME unit_scheduler SOURCES ${TEST_AREA_DIR}/test_scheduler.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
seedcanvas_add_test(NAME unit_unclip_pipeline SOURCES ${TEST_AREA_DIR}/test_unclip_pipeline.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
