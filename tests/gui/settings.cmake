# Settings, status bar, shortcuts, accessibility, logs and translations of the app window, on a
# scripted backend: engine-free, so it links only the ui library.
if(TARGET seedcanvas_ui)
  seedcanvas_add_test(NAME gui_settings SOURCES ${TEST_AREA_DIR}/test_settings.cpp
                      LIBS seedcanvas_ui Qt6::Test LABELS gui unit)
  target_compile_definitions(gui_settings PRIVATE SEEDCANVAS_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
