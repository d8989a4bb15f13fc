// Runs the built `bnlab` (or any program) as a user would: in a subprocess, no shell,
// collecting the exit code, stdout and stderr through files.
#pragma once

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace bnlab::testing_subprocess {

struct Result {
  int exit_code = -1;    // -1 when the process did not exit normally (a signal)
  std::string out;       // stdout
  std::string err;       // stderr
  long max_rss_kib = 0;  // the process's peak resident memory (getrusage's ru_maxrss)
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

inline std::string TempPath(const std::string& name) {
  return testing::TempDir() + "bnlab_cli_" + std::to_string(getpid()) + "_" + name;
}

// `command[0]` is looked up in PATH when it has no slash. With `stdout_to` (such as
// "/dev/full") stdout goes there instead of into Result::out. `before_exec` runs in the child
// (testing_confine's limits); exit 126 when it returns false.
inline Result Run(const std::vector<std::string>& command, const std::string& stdout_to = "",
                  const std::function<bool()>& before_exec = nullptr) {
  const std::string out_path = stdout_to.empty() ? TempPath("stdout") : stdout_to, err_path = TempPath("stderr");
  const pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(out_path.c_str(), "w", stdout) || !std::freopen(err_path.c_str(), "w", stderr)) _exit(127);
    if (before_exec && !before_exec()) _exit(126);
    std::vector<std::string> copies = command;
    std::vector<char*> argv;
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  Result result;
  int status = 0;
  rusage usage{};
  if (pid > 0 && wait4(pid, &status, 0, &usage) == pid && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.max_rss_kib = usage.ru_maxrss;
  result.err = ReadFile(err_path);
  std::remove(err_path.c_str());
  if (!stdout_to.empty()) return result;
  result.out = ReadFile(out_path);
  std::remove(out_path.c_str());
  return result;
}

// BNLAB_EXE with `args`.
inline Result RunBnlab(const std::vector<std::string>& args, const std::string& stdout_to = "",
                       const std::function<bool()>& before_exec = nullptr) {
  std::vector<std::string> command = {BNLAB_EXE};
  command.insert(command.end(), args.begin(), args.end());
  return Run(command, stdout_to, before_exec);
}

// One line on stderr, starting with `prefix`, containing `needle`, and exit code 2: the
// command-line contract for bad usage or input.
inline void ExpectOneLineError(const Result& result, const std::string& prefix, const std::string& needle) {
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err.rfind(prefix, 0), 0u) << result.err;
  EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "more than one line: " << result.err;
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

}  // namespace bnlab::testing_subprocess
