# A daily user's workflows through the real widgets of the main window on a scripted backend
# (engine-free, so it links only the ui library): theme contrast, keyboard paths, drafts,
# closing while busy and reopening the last chat.
if(TARGET seedcanvas_ui)
  seedcanvas_add_test(NAME gui_workflows SOURCES ${TEST_AREA_DIR}/test_workflows.cpp
                      LIBS seedcanvas_ui Qt6::Test LABELS gui unit)
endif()
