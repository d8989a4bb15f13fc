// The headless subcommands of the one `bnlab` binary. The GUI's main asks
// IsHeadlessCommand first and hands over to RunHeadless, so `bnlab train` never opens a
// window or touches GLFW/OpenGL.
#pragma once

#include <chrono>
#include <string>

namespace bnlab {

// True when argv[1] names a headless subcommand ("train" or "noise").
bool IsHeadlessCommand(int argc, char** argv);

// Runs the subcommand named by argv[1] with the rest of the arguments and returns the
// process exit code: 0 success, 2 bad usage or input, 1 internal error.
int RunHeadless(int argc, char** argv);

// The lines `bnlab --help` adds about the subcommands.
const char* HeadlessCommandsHelp();

// A data error's message with the way around it: "... (synthetic sets need no files:
// --dataset spiral, circles, moons, xor or blobs)".
std::string WithSyntheticHint(const std::string& data_error);

// What `--version` prints on every command: "bnlab 0.1.0 (cpu level: v4)", the level being the
// engine's that runs (engine/cpu_level.h).
std::string VersionLine();

// Writes `text` to stdout and flushes it. False, with the reason in `error` ("No space left
// on device"), when it did not all reach its file: the caller names the output it lost.
bool PrintToStdout(const std::string& text, std::string* error);

// The exit code of a command that succeeded (0) unless what it printed on stdout (--help,
// --version, a summary) did not reach its file: then one line on stderr and 2, as for any
// output that cannot be written. A command that already failed keeps its code.
int CheckStdout(const char* program, int exit_code);

// Bad usage or input: the one line of the command-line contract ("bnlab train: --lr: ..."),
// newlines folded into spaces, on stderr; returns the exit code 2.
int UsageFailure(const char* program, std::string message);

// BNLAB_CPU applied as engine/cpu_level.h's ApplyRequestedCpuLevel does (it may re-execute the
// program); false, with the one line on stderr, for a level this program cannot run (exit 2).
bool ApplyCpuLevelOrSayWhy(char** argv);

// Seconds on the steady clock since `start`.
double SecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace bnlab
