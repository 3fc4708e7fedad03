// Per-user folders of the XDG base-directory layout.
#pragma once

#include <filesystem>

namespace seedcanvas {

// $XDG_CACHE_HOME, else $HOME/.cache; empty when neither is set.
std::filesystem::path user_cache_dir();

}  // namespace seedcanvas
