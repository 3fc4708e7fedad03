# Every fixture weight file loads; torch/sharded/safetensors copies agree; the CLI agrees.
seedcanvas_add_test(NAME conformance_loaders SOURCES ${TEST_AREA_DIR}/test_loaders.cpp
                    LIBS seedcanvas_testsupport Qt6::Core LABELS conformance)
target_compile_definitions(conformance_loaders PRIVATE SEEDCANVAS_CLI_PATH="$<TARGET_FILE:seedcanvas-cli>")
add_dependencies(conformance_loaders seedcanvas-cli)
