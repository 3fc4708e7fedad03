# The engine library must build and link with LibTorch alone: a probe that uses the whole
# pipeline links only seedcanvas_engine, and must not pull in Qt, SentencePiece or OpenImageIO.
add_executable(engine_link_probe ${TEST_AREA_DIR}/engine_link_probe.cpp)
target_link_libraries(engine_link_probe PRIVATE seedcanvas_engine)
add_test(NAME unit_engine_links_libtorch_only
  COMMAND sh -c "ldd $<TARGET_FILE:engine_link_probe> > engine_link_probe.ldd && ! grep -E 'libQt6|libsentencepiece|libOpenImageIO' engine_link_probe.ldd && grep -q libtorch engine_link_probe.ldd")
set_tests_properties(unit_engine_links_libtorch_only PROPERTIES LABELS unit TIMEOUT 60)
