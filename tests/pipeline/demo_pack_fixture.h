// One demo pack per build tree, made on first use and shared by the pipeline tests.
#pragma once

#include <filesystem>

namespace seedcanvas::test {

// <build>/test-scratch/demo-pack (generated with the default seed if missing).
std::filesystem::path demo_pack();
// A fresh copy of the demo pack that a test may damage.
std::filesystem::path demo_pack_copy(const std::string& name);

}  // namespace seedcanvas::test
