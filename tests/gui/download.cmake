# The model-pack downloader against a loopback HTTP server serving the demo pack.
if(TARGET seedcanvas_appcore)
  seedcanvas_add_test(NAME gui_download SOURCES ${TEST_AREA_DIR}/test_download.cpp ${TEST_AREA_DIR}/http_test_server.h
                      LIBS seedcanvas_testsupport seedcanvas_appcore Qt6::Network LABELS gui TIMEOUT 600)
  target_compile_definitions(gui_download PRIVATE SEEDCANVAS_TEST_BUILD_DIR="${CMAKE_BINARY_DIR}")
  set_target_properties(gui_download PROPERTIES AUTOMOC ON)
  set_tests_properties(gui_download PROPERTIES RESOURCE_LOCK seedcanvas_demo_pack)
  add_dependencies(gui_download seedcanvas-cli)
  if(TARGET seedcanvas_spm)
    add_dependencies(gui_download seedcanvas_spm)  # make-demo-pack trains the tokenizer with it
  endif()
endif()
# The model manager dialog (lists, validates, downloads and chooses packs).
if(TARGET seedcanvas_appcore)
  seedcanvas_add_test(NAME gui_model_manager SOURCES ${TEST_AREA_DIR}/test_model_manager.cpp ${TEST_AREA_DIR}/http_test_server.h
                      LIBS seedcanvas_testsupport seedcanvas_appcore Qt6::Network LABELS gui TIMEOUT 600)
  target_compile_definitions(gui_model_manager PRIVATE SEEDCANVAS_TEST_BUILD_DIR="${CMAKE_BINARY_DIR}")
  set_target_properties(gui_model_manager PROPERTIES AUTOMOC ON)
  set_tests_properties(gui_model_manager PROPERTIES RESOURCE_LOCK seedcanvas_demo_pack)
  add_dependencies(gui_model_manager seedcanvas-cli)
  if(TARGET seedcanvas_spm)
    add_dependencies(gui_model_manager seedcanvas_spm)
  endif()
endif()
