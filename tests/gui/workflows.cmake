# A daily user's workflows through the real widgets of the main window on a scripted backend
# (engine-free, so they link only the ui library): gui_workflows (theme contrast, keyboard paths,
# layout at small sizes) and gui_sessions (drafts, stopping, closing while busy, restart).
if(TARGET seedcanvas_ui)
  foreach(t workflows sessions)
    seedcanvas_add_test(NAME gui_${t} SOURCES ${TEST_AREA_DIR}/test_${t}.cpp ${TEST_AREA_DIR}/workflow_support.h
                        LIBS seedcanvas_ui Qt6::Test LABELS gui unit)
  endforeach()
endif()
