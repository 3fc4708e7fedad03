seedcanvas_add_test(NAME conformance_diffusion_runs
                    SOURCES ${TEST_AREA_DIR}/test_diffusion_runs.cpp
                    LIBS seedcanvas_testsupport LABELS conformance)
if(TARGET seedcanvas_imageio)
  seedcanvas_add_test(NAME conformance_diffusion_seed_roundtrip
                      SOURCES ${TEST_AREA_DIR}/test_diffusion_seed_roundtrip.cpp
                      LIBS seedcanvas_testsupport seedcanvas_imageio LABELS conformance)
endif()
