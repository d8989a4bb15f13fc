// What differs between the desktop build and the browser build (WebAssembly, Emscripten), in
// one place. Code that depends on it asks these constants; no #ifdef elsewhere.
#pragma once

namespace bnlab {

#if defined(__EMSCRIPTEN__)
inline constexpr bool kWebAssembly = true;
#else
inline constexpr bool kWebAssembly = false;
#endif

// Whether this build may start threads. The browser build is single-threaded (no -pthread, so
// the page works from any static host), and there constructing a std::thread throws. Where the
// engine would use a second thread (the twin step's StepWorker, the noise lab's two lanes, the
// ghost experiment's runs) it asks here and otherwise does the same work on the calling thread:
// the results are bit-identical either way, as the tests check. (The headless commands'
// Heartbeat has no thread then, and no lines.)
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
inline constexpr bool kThreadsAvailable = false;
#else
inline constexpr bool kThreadsAvailable = true;
#endif

// The threads a job that asks for `wanted` gets: all of them, or one where none can start.
constexpr int UsableThreads(int wanted) { return kThreadsAvailable ? wanted : 1; }

// Whether the program can find its own file (/proc/self/exe), and so the data installed beside
// it. In WebAssembly it cannot: under Node /proc/self/exe is Node itself, in a browser there is
// no such file.
inline constexpr bool kProgramFileKnown = !kWebAssembly;

}  // namespace bnlab
