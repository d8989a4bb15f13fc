// Hostile places to write to, for the tests of what happens when a file cannot be written: a
// file size limit (the disk fills up after N bytes), a read-only folder and a full tmpfs. Each
// applies to the calling process and its children: call them in a forked child (or through
// testing_subprocess::Run's before_exec), never in the test process itself.
#pragma once

#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <string>

namespace bnlab::testing_confine {

// Writes to regular files beyond `bytes` fail with EFBIG ("File too large") instead of raising
// SIGXFSZ: a disk that is full after `bytes`.
inline bool LimitFileSize(rlim_t bytes) {
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) != 0) return false;
  limit.rlim_cur = bytes;
  return setrlimit(RLIMIT_FSIZE, &limit) == 0;
}

// A mount namespace of the caller's own, so that what it mounts is seen by it alone. Root only.
inline bool PrivateMounts() {
  return geteuid() == 0 && unshare(CLONE_NEWNS) == 0 && mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

// Makes `folder` read-only: for root (which permissions do not stop) a read-only bind mount in
// a mount namespace of its own; for anyone else chmod 0555, which the caller undoes with
// chmod 0755 when the child has ended.
inline bool ReadOnlyFolder(const std::string& folder) {
  if (geteuid() != 0) return chmod(folder.c_str(), 0555) == 0;
  return PrivateMounts() && mount(folder.c_str(), folder.c_str(), nullptr, MS_BIND, nullptr) == 0 &&
         mount(nullptr, folder.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0;
}

// A tmpfs of `bytes` over `folder` (which then starts empty): a real full disk. Root only.
inline bool SmallTmpfs(const std::string& folder, std::size_t bytes) {
  const std::string options = "size=" + std::to_string(bytes);
  return PrivateMounts() && mount("tmpfs", folder.c_str(), "tmpfs", 0, options.c_str()) == 0;
}

// Runs `body` in a forked child and returns what it returned as the child's exit code (-1 if
// the child did not exit normally): the confinements above stay in the child.
inline int InChild(const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace bnlab::testing_confine
