# The real downloads' layouts and checkpoint quirks (hub cache, --local-dir, fp16 variants,
# sharded torch pickles, eva_vit_g.pth, partial downloads), rebuilt from the demo pack's tensors.
if(TARGET seedcanvas_imageio AND TARGET seedcanvas_spm)
  seedcanvas_add_test(NAME unit_real_packs SOURCES ${TEST_AREA_DIR}/test_real_packs.cpp
                      ${TEST_AREA_DIR}/demo_pack_fixture.cpp
                      LIBS seedcanvas_testsupport seedcanvas_weight_builders LABELS unit TIMEOUT 900)
endif()
