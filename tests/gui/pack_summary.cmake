# summarizePack on a Hugging Face cache layout (sizes counted once, other models left out).
if(TARGET seedcanvas_appcore)
  seedcanvas_add_test(NAME gui_pack_summary SOURCES ${TEST_AREA_DIR}/test_pack_summary.cpp
                      LIBS seedcanvas_testsupport seedcanvas_appcore LABELS gui unit TIMEOUT 600)
  target_compile_definitions(gui_pack_summary PRIVATE SEEDCANVAS_TEST_BUILD_DIR="${CMAKE_BINARY_DIR}")
  set_tests_properties(gui_pack_summary PROPERTIES RESOURCE_LOCK seedcanvas_demo_pack)
  add_dependencies(gui_pack_summary seedcanvas-cli)
  if(TARGET seedcanvas_spm)
    add_dependencies(gui_pack_summary seedcanvas_spm)
  endif()
endif()
