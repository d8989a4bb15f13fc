#include "engine/cpu_level.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#ifndef BNLAB_CPU_LEVEL
#error "BNLAB_CPU_LEVEL names the level this engine is compiled for (CMakeLists.txt sets it)"
#endif

namespace bnlab {
namespace {

constexpr const char* kLevels[] = {"baseline", "v3", "v4"};
// What the loader is told to ignore so that it skips every level above the one asked for:
// without AVX2 it takes neither x86-64-v3 nor v4, without AVX512F not v4 (glibc's rules).
constexpr const char* kMaskBelow[] = {"glibc.cpu.hwcaps=-AVX2", "glibc.cpu.hwcaps=-AVX512F", ""};

}  // namespace

int CpuLevelRank(const char* name) {
  for (int i = 0; i < 3; ++i) {
    if (std::strcmp(name, kLevels[i]) == 0) return i;
  }
  return -1;
}

const char* CpuLevel() { return BNLAB_CPU_LEVEL; }

bool CpuLevelsDispatched() { return BNLAB_CPU_DISPATCH != 0; }

std::string ApplyRequestedCpuLevel(char** argv) {
  const char* requested = std::getenv("BNLAB_CPU");
  if (requested == nullptr || *requested == '\0') return "";
  const std::string prefix = std::string("BNLAB_CPU=") + requested + ": ";
  const int wanted = CpuLevelRank(requested);
  if (wanted < 0) return prefix + "unknown level (expected baseline, v3 or v4)";
  if (std::strcmp(requested, CpuLevel()) == 0) return "";
  if (!CpuLevelsDispatched()) {
    return prefix + "this build has one level, " + CpuLevel() +
           " (only a portable x86-64 build has one engine per level; unset BNLAB_CPU)";
  }
  const int loaded = CpuLevelRank(CpuLevel());
  if (wanted > loaded) {
    return prefix + "this CPU supports " + CpuLevel() + " at most (the level the loader chose)";
  }
#if BNLAB_CPU_DISPATCH
  // Re-execute once with the mask; if the loader still chose a higher level, say so.
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string mask = kMaskBelow[wanted];
  if (tunables != nullptr && std::strstr(tunables, mask.c_str()) != nullptr) {
    return prefix + "the loader chose " + CpuLevel() + " despite GLIBC_TUNABLES=" + tunables;
  }
  const std::string value = tunables != nullptr && *tunables != '\0' ? std::string(tunables) + ":" + mask : mask;
  setenv("GLIBC_TUNABLES", value.c_str(), 1);
  execv("/proc/self/exe", argv);
  return prefix + "could not re-execute /proc/self/exe: " + std::strerror(errno);
#else
  return "";  // not reached: a build with one level returned above
#endif
}

}  // namespace bnlab
