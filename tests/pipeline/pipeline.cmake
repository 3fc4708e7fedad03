# End-to-end tests of the SEED-LLaMA pipeline and the engine service on the demo pack (made by
# the test itself) and on a pack assembled from the upstream fixtures.
if(TARGET seedcanvas_imageio AND TARGET seedcanvas_spm)
  seedcanvas_add_test(NAME e2e_pipeline_demo SOURCES ${TEST_AREA_DIR}/test_pipeline_demo.cpp
                      ${TEST_AREA_DIR}/demo_pack_fixture.cpp
                      LIBS seedcanvas_testsupport seedcanvas_imageio LABELS unit TIMEOUT 900)
  seedcanvas_add_test(NAME e2e_engine_service SOURCES ${TEST_AREA_DIR}/test_engine_service.cpp
                      ${TEST_AREA_DIR}/demo_pack_fixture.cpp
                      LIBS seedcanvas_testsupport LABELS unit TIMEOUT 900)
  seedcanvas_add_test(NAME conformance_pipeline_fixture_pack SOURCES ${TEST_AREA_DIR}/test_fixture_pack.cpp
                      LIBS seedcanvas_testsupport seedcanvas_imageio LABELS conformance TIMEOUT 900)
  seedcanvas_add_test(NAME unit_model_pack SOURCES ${TEST_AREA_DIR}/test_model_pack.cpp
                      ${TEST_AREA_DIR}/demo_pack_fixture.cpp
                      LIBS seedcanvas_testsupport LABELS unit TIMEOUT 900)
endif()
