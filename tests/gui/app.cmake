# The chat canvas driven by the real engine service on the demo pack (made on first use with
# seedcanvas-cli make-demo-pack under the build folder). Serialised on the demo pack.
if(TARGET seedcanvas_appcore)
  foreach(t controller screenshots crash)
    seedcanvas_add_test(NAME gui_${t} SOURCES ${TEST_AREA_DIR}/test_${t}.cpp
                        LIBS seedcanvas_testsupport seedcanvas_appcore LABELS gui TIMEOUT 900)
    target_compile_definitions(gui_${t} PRIVATE SEEDCANVAS_TEST_BUILD_DIR="${CMAKE_BINARY_DIR}")
    set_tests_properties(gui_${t} PROPERTIES RESOURCE_LOCK seedcanvas_demo_pack)
    add_dependencies(gui_${t} seedcanvas-cli seedcanvas)
  endforeach()
endif()
