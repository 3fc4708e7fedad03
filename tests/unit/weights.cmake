# Weight loading: torch.save archives, hostile files, strict loading into modules.
add_library(seedcanvas_weight_builders STATIC ${TEST_AREA_DIR}/weight_builders.cpp)
target_link_libraries(seedcanvas_weight_builders PUBLIC seedcanvas_engine ZLIB::ZLIB)

seedcanvas_add_test(NAME unit_torch_checkpoint SOURCES ${TEST_AREA_DIR}/test_torch_checkpoint.cpp
                    LIBS seedcanvas_testsupport seedcanvas_weight_builders LABELS unit)
seedcanvas_add_test(NAME unit_load_state SOURCES ${TEST_AREA_DIR}/test_load_state.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
# Also runs the CLI on each hostile file, so it needs the binary's path.
seedcanvas_add_test(NAME unit_hostile_weights SOURCES ${TEST_AREA_DIR}/test_hostile_weights.cpp
                    LIBS seedcanvas_testsupport seedcanvas_weight_builders Qt6::Core LABELS unit)
target_compile_definitions(unit_hostile_weights PRIVATE SEEDCANVAS_CLI_PATH="$<TARGET_FILE:seedcanvas-cli>")
add_dependencies(unit_hostile_weights seedcanvas-cli)
seedcanvas_add_test(NAME unit_staged_upload SOURCES ${TEST_AREA_DIR}/test_staged_upload.cpp
                    LIBS seedcanvas_testsupport LABELS unit)
