#include "common/command.h"

namespace seedcanvas::tool {
std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace seedcanvas::tool

int main(int argc, char** argv) { return seedcanvas::tool::dispatch("seedcanvas-bench", argc, argv); }
