# SEED-LLaMA text tokenizer against the upstream fixtures (transformers 4.33 slow LlamaTokenizer).
# Needs the SentencePiece plugin, loaded with RTLD_DEEPBIND: not under sanitizers.
if(TARGET seedcanvas_spm AND NOT SEEDCANVAS_SANITIZE)
  seedcanvas_add_test(NAME conformance_tokenizer SOURCES ${TEST_AREA_DIR}/test_tokenizer.cpp
                      LIBS seedcanvas_testsupport LABELS conformance)
  add_dependencies(conformance_tokenizer seedcanvas_spm)
endif()
