// Which x86-64 level the engine's code was compiled for, and BNLAB_CPU, which forces a lower one.
//
// A portable x86-64 build compiles the engine three times, as one shared library per level
// (baseline SSE2, x86-64-v3 with AVX2 and FMA, x86-64-v4 with AVX-512), installed as
// lib/bnlab/libbnlab_engine.so and lib/bnlab/glibc-hwcaps/x86-64-v{3,4}/libbnlab_engine.so.
// The dynamic loader (glibc >= 2.33) loads the best one the CPU supports before main() runs;
// the rest of the program is compiled for the baseline and calls into whichever was loaded.
// Other builds (-march=native, other architectures, the sanitizers) have one engine: see
// CMakeLists.txt and the README's "One engine per x86-64 level".
#pragma once

#include <string>

namespace bnlab {

// "baseline", "v3" or "v4" in a dispatching build; "native" in a -march=native build; "wasm" in
// the browser build; "baseline" in any other (other architectures: their own, NEON on aarch64).
const char* CpuLevel();

// The order of the levels BNLAB_CPU names: 0 baseline, 1 v3, 2 v4; -1 for any other name.
int CpuLevelRank(const char* name);

// True in a build with one engine per level (the loader chooses; BNLAB_CPU can lower it).
bool CpuLevelsDispatched();

// Honours the environment variable BNLAB_CPU=baseline|v3|v4 (unset or empty: the loader's
// choice stands). A level below the loaded one re-executes the program with the loader told to
// skip the higher levels (GLIBC_TUNABLES=glibc.cpu.hwcaps=-...), so this returns only if the
// request is already met or cannot be: then with a one-line message naming the problem (an
// unknown level, a level above what this CPU and build offer, a build with one level), which
// the caller prints before exiting with status 2. Call it first thing in main().
std::string ApplyRequestedCpuLevel(char** argv);

}  // namespace bnlab
