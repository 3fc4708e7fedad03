# Chat canvas models, branch logic and persistence (no engine needed).
if(TARGET seedcanvas_ui)
  seedcanvas_add_test(NAME gui_models SOURCES ${TEST_AREA_DIR}/test_models.cpp
                      LIBS seedcanvas_testsupport seedcanvas_ui LABELS gui unit)
  seedcanvas_add_test(NAME gui_store SOURCES ${TEST_AREA_DIR}/test_store.cpp
                      LIBS seedcanvas_testsupport seedcanvas_ui LABELS gui unit)
endif()
if(TARGET seedcanvas_ui)
  seedcanvas_add_test(NAME gui_composer SOURCES ${TEST_AREA_DIR}/test_composer.cpp
                      LIBS seedcanvas_testsupport seedcanvas_ui LABELS gui unit)
  seedcanvas_add_test(NAME gui_streaming SOURCES ${TEST_AREA_DIR}/test_streaming.cpp
                      LIBS seedcanvas_testsupport seedcanvas_ui LABELS gui unit)
  seedcanvas_add_test(NAME gui_open_chat SOURCES ${TEST_AREA_DIR}/test_open_chat.cpp
                      LIBS seedcanvas_testsupport seedcanvas_ui LABELS gui unit)
endif()
