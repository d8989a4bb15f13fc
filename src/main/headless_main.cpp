// The `bnlab` executable of a build without the GUI (-DBNLAB_BUILD_GUI=OFF): the headless
// commands only. With the GUI, main.cpp beside this file dispatches to the same RunHeadless.
#include "cli/commands.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

int Run(int argc, char** argv) {
  if (bnlab::IsHeadlessCommand(argc, argv)) return bnlab::RunHeadless(argc, argv);
  const bool help = argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
  if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("%s\n", bnlab::VersionLine().c_str());
    return 0;
  }
  if (help) {
    std::printf("bnlab: Batch Normalization lab (built without the GUI)\n\n%s", bnlab::HeadlessCommandsHelp());
    return 0;
  }
  std::fprintf(stderr,
               "bnlab: the GUI was not built (configure with -DBNLAB_BUILD_GUI=ON); "
               "headless commands: bnlab train, bnlab noise\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (!bnlab::ApplyCpuLevelOrSayWhy(argv)) return 2;
  return bnlab::CheckStdout("bnlab", Run(argc, argv));
}
