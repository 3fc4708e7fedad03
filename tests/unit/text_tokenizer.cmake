# SeedTokenizer and the SentencePiece plugin (dlopen with RTLD_DEEPBIND: not under sanitizers).
if(TARGET seedcanvas_spm AND NOT SEEDCANVAS_SANITIZE)
  seedcanvas_add_test(NAME unit_text_tokenizer SOURCES ${TEST_AREA_DIR}/test_text_tokenizer.cpp
                      LIBS seedcanvas_testsupport LABELS unit)
  add_dependencies(unit_text_tokenizer seedcanvas_spm)
  seedcanvas_add_test(NAME unit_text_spm_plugin SOURCES ${TEST_AREA_DIR}/test_text_spm_plugin.cpp
                      LIBS seedcanvas_testsupport LABELS unit)
  add_dependencies(unit_text_spm_plugin seedcanvas_spm)
endif()
