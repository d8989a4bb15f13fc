// A headless run whose progress goes into a pipe that its reader closes (`bnlab train --csv
// run.csv 2>&1 | head`) ends by SIGPIPE, as any program would, but like Ctrl+C it leaves the old
// --csv file as it was and no part of the new one beside it.
#include "../common/subprocess.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using bnlab::testing_subprocess::ReadFile;
using bnlab::testing_subprocess::TempPath;

TEST(BrokenPipe, EndsTheRunAndLeavesNoUnfinishedFile) {
  const std::string folder = TempPath("broken_pipe");
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string path = folder + "/run.csv";
  std::ofstream(path) << "the old run\n";
  auto files = [&] { return std::distance(fs::directory_iterator(folder), fs::directory_iterator()); };
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    std::signal(SIGPIPE, SIG_DFL);  // as a shell starts a pipeline's programs
    close(pipe_ends[0]);
    if (!std::freopen("/dev/null", "w", stdout) || dup2(pipe_ends[1], STDERR_FILENO) < 0) _exit(127);
    execl(BNLAB_EXE, BNLAB_EXE, "train", "--dataset", "spiral", "--steps", "10000000", "--eval-every", "100", "--csv",
          path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  close(pipe_ends[1]);
  // Running, and writing, once its temporary file is beside the old one; then the reader goes.
  for (int i = 0; i < 1000 && files() < 2; ++i) usleep(10000);
  EXPECT_EQ(files(), 2) << "no temporary file appeared";
  close(pipe_ends[0]);
  int status = 0;
  for (int i = 0; i < 1000 && waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(10000);
  if (kill(pid, 0) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "the closed pipe did not end the run within 10 s";
  }
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) << "status " << status;
  EXPECT_EQ(ReadFile(path), "the old run\n");
  EXPECT_EQ(files(), 1) << "a file left beside it";
  fs::remove_all(folder);
}

}  // namespace
