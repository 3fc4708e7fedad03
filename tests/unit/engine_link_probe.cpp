// Links every engine layer (pipeline, models, loaders) so the dependency check sees them all.
#include <cstdio>

#include "pipeline/engine_service.h"
#include "pipeline/seed_pipeline.h"

int main(int argc, char**) {
  if (argc > 1) {  // never taken by the test; keeps the references alive
    seedcanvas::pipeline::EngineService service([](const seedcanvas::pipeline::Event&) {});
    seedcanvas::pipeline::SeedPipeline::load({});
  }
  std::puts("engine linked");
  return 0;
}
