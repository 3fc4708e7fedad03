if(TARGET seedcanvas_imageio)
  # libjpeg writes the CMYK and EXIF-rotated JPEGs the test reads back; OIIO writes EXR.
  pkg_check_modules(SC_LIBJPEG QUIET IMPORTED_TARGET libjpeg)
  set(IMAGE_IO_TEST_LIBS seedcanvas_testsupport seedcanvas_imageio PkgConfig::OIIO)
  if(SC_LIBJPEG_FOUND)
    list(APPEND IMAGE_IO_TEST_LIBS PkgConfig::SC_LIBJPEG)
  endif()
  seedcanvas_add_test(NAME unit_image_io SOURCES ${TEST_AREA_DIR}/test_image_io.cpp ${TEST_AREA_DIR}/image_samples.cpp
                      LIBS ${IMAGE_IO_TEST_LIBS} LABELS unit)
  if(SC_LIBJPEG_FOUND)
    target_compile_definitions(unit_image_io PRIVATE SEEDCANVAS_TEST_LIBJPEG=1)
  endif()
endif()
seedcanvas_add_test(NAME unit_image_preprocess SOURCES ${TEST_AREA_DIR}/test_image_preprocess.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
