if(TARGET seedcanvas_imageio)
  seedcanvas_add_test(NAME conformance_seed_tokenizer SOURCES ${TEST_AREA_DIR}/test_seed_tokenizer.cpp
                      LIBS seedcanvas_testsupport seedcanvas_imageio LABELS conformance)
endif()
