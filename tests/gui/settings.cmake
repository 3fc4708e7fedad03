# Settings, status bar, shortcuts, accessibility, logs and translations of the app window, on a
# scripted backend (no engine).
if(TARGET seedcanvas_ui)
  seedcanvas_add_test(NAME gui_settings SOURCES ${TEST_AREA_DIR}/test_settings.cpp
                      LIBS seedcanvas_testsupport seedcanvas_ui LABELS gui unit)
endif()
