#include "cli/commands.h"

#include "build_info.h"

#include "cli/noise_command.h"
#include "cli/train_command.h"
#include "engine/cpu_level.h"
#include "engine/dataset.h"
#include "settings/atomic_file.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace bnlab {
namespace {

// Ctrl+C, kill or a closing terminal end a headless command at once, however long the work in
// hand (an evaluation of a huge net takes minutes), by the signal's default action (130 for
// Ctrl+C from a shell), having removed the temporary files of the outputs not yet complete:
// every old file stays as it was and no part of a new one is left. So does a pipe whose reader
// has gone (`bnlab train --csv run.csv 2>&1 | head`), silently: the message would go to it.
extern "C" void OnInterrupt(int signal_number) {
  RemovePendingTempFiles();
  static const char kMessage[] = "bnlab: interrupted; no unfinished file is left\n";
  if (signal_number != SIGPIPE) (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  std::signal(signal_number, SIG_DFL);  // all three calls async-signal-safe
  std::raise(signal_number);
}

// A signal ignored when bnlab started (nohup) stays ignored.
void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    struct sigaction before {};
    if (sigaction(signal_number, nullptr, &before) == 0 && before.sa_handler == SIG_IGN) continue;
    sigaction(signal_number, &action, nullptr);
  }
}

}  // namespace

bool IsHeadlessCommand(int argc, char** argv) {
  return argc >= 2 && (std::strcmp(argv[1], "train") == 0 || std::strcmp(argv[1], "noise") == 0);
}

int RunHeadless(int argc, char** argv) {
  if (!IsHeadlessCommand(argc, argv)) {
    std::fprintf(stderr, "bnlab: not a headless command (expected train or noise)\n");
    return 2;
  }
  InstallInterruptHandlers();
  // The subcommand's own parser sees its name as the program name: argv[1] becomes argv[0].
  if (std::strcmp(argv[1], "train") == 0) return RunTrainCommand(argc - 1, argv + 1);
  return RunNoiseCommand(argc - 1, argv + 1);
}

std::string WithSyntheticHint(const std::string& data_error) {
  return data_error + " (synthetic sets need no files: --dataset " + DatasetNameList(/*synthetic_only=*/true) + ")";
}

std::string VersionLine() { return std::string("bnlab ") + kVersion + " (cpu level: " + CpuLevel() + ")"; }

bool PrintToStdout(const std::string& text, std::string* error) {
  errno = 0;
  const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  const int write_errno = errno;
  if (std::fflush(stdout) == 0 && written && !std::ferror(stdout)) return true;
  const int reason = errno != 0 ? errno : write_errno;
  *error = reason != 0 ? std::strerror(reason) : "write error";
  return false;
}

int CheckStdout(const char* program, int exit_code) {
  // CLI11 prints --help and --version through std::cout, which writes through stdout.
  std::cout.flush();
  errno = 0;
  if (exit_code != 0 || (std::fflush(stdout) == 0 && !std::ferror(stdout) && std::cout.good())) return exit_code;
  // The reason is known only when this flush failed; an earlier write's errno is gone.
  if (errno != 0) std::fprintf(stderr, "%s: cannot write to stdout: %s\n", program, std::strerror(errno));
  else std::fprintf(stderr, "%s: cannot write to stdout (a full disk?)\n", program);
  return 2;
}

const char* HeadlessCommandsHelp() {
  return "Headless commands (no window):\n"
         "  bnlab train [options]   twin training; progress on stderr, summary on stdout, --csv, --json\n"
         "  bnlab noise [options]   batch-size noise of BN's statistics and the gradient; --regularization: ghost-BN experiment;\n"
         "                          --batch-sweep: which batch size trains BN best\n"
         "  bnlab train --help      lists every setting; the same names are the scene-file keys\n";
}

int UsageFailure(const char* program, std::string message) {
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  std::fprintf(stderr, "%s: %s\n", program, message.c_str());
  return 2;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool ApplyCpuLevelOrSayWhy(char** argv) {
  const std::string error = ApplyRequestedCpuLevel(argv);
  if (error.empty()) return true;
  std::fprintf(stderr, "bnlab: %s\n", error.c_str());
  return false;
}

}  // namespace bnlab
