#include "settings/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bnlab {
namespace {

// Where the bytes go and whether they can go there by renaming: a regular file, or a path
// that does not exist yet. A link to a regular file is followed, so that the link survives.
struct Target {
  std::string path;
  bool in_place = false;
};

Target TargetOf(const std::string& path) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) return {path, false};  // new (or unreachable: open says why)
  if (S_ISREG(info.st_mode)) return {path, false};
  if (!S_ISLNK(info.st_mode) || stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return {path, true};
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) return {path, true};
  // /dev/stdout and /proc/self/fd/N name a descriptor that is already open: write through it.
  const std::string link_target = resolved;
  if (link_target.rfind("/proc/", 0) == 0 || link_target.rfind("/dev/", 0) == 0) return {path, true};
  return {link_target, false};
}

std::string FolderOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash + 1);
}

std::string NameOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::atomic<unsigned> g_temp_counter{0};

// The temporary files being written, for RemovePendingTempFiles. A slot is free (0), being
// filled (1) or holds a path a signal handler may remove (2).
struct PendingTemp {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler reads the slots' state");
constexpr int kMaxPending = 16;  // files being written at once; more are not removed on a signal
PendingTemp g_pending[kMaxPending];

// The slot now holding `path`, or -1 (none free, or too long).
int RegisterPending(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kMaxPending; ++i) {
    int expected = 0;
    if (!g_pending[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_pending[i].path, path.c_str(), path.size() + 1);
    g_pending[i].state.store(2);
    return i;
  }
  return -1;
}

void UnregisterPending(int slot) {
  if (slot >= 0) g_pending[slot].state.store(0);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  const Target target = TargetOf(path_);
  target_path_ = target.path;
  if (target.in_place) {
    fd_ = open(target_path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) Fail(errno);
    return;
  }
  struct stat old {};
  const bool replaces = stat(target_path_.c_str(), &old) == 0;
  for (int attempt = 0; fd_ < 0; ++attempt) {
    temp_path_ = FolderOf(target_path_) + "." + NameOf(target_path_) + ".tmp-" + std::to_string(getpid()) + "-" +
                 std::to_string(g_temp_counter.fetch_add(1));
    // Registered before it exists, for RemovePendingTempFiles: a signal that came between the
    // open and the registering would have left the file behind.
    pending_slot_ = RegisterPending(temp_path_);
    // 0666 less the umask, as a new file would get; the old file's mode when it replaces one.
    fd_ = open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) break;
    const int error_number = errno;
    UnregisterPending(pending_slot_);
    pending_slot_ = -1;
    if (error_number != EEXIST || attempt == 100) {
      temp_path_.clear();
      Fail(error_number);
    }
  }
  if (replaces) (void)fchmod(fd_, old.st_mode & 07777);
}

AtomicFile::~AtomicFile() { Discard(); }

void AtomicFile::Write(const void* data, std::size_t size) {
  if (fd_ < 0 || error_ != 0) return;
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = write(fd_, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return;
    }
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
}

void AtomicFile::Commit() {
  if (fd_ < 0) Fail(EBADF);
  if (error_ != 0) Fail(error_);
  // Data on disk before the name: a crash after the rename must not find an empty file. A
  // device or pipe written in place may not sync (EINVAL): nothing is lost by that.
  if (fsync(fd_) != 0 && !(temp_path_.empty() && (errno == EINVAL || errno == EROFS))) Fail(errno);
  const int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) Fail(errno);
  if (temp_path_.empty()) return;
  if (std::rename(temp_path_.c_str(), target_path_.c_str()) != 0) Fail(errno);
  UnregisterPending(pending_slot_);
  pending_slot_ = -1;
  temp_path_.clear();
}

void AtomicFile::Discard() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
  UnregisterPending(pending_slot_);
  pending_slot_ = -1;
  temp_path_.clear();
}

void AtomicFile::Fail(int error_number) {
  Discard();
  throw FileWriteError("cannot write '" + path_ + "': " + std::strerror(error_number));
}

void RemovePendingTempFiles() noexcept {
  for (PendingTemp& pending : g_pending) {
    if (pending.state.load() == 2) unlink(pending.path);
  }
}

void WriteFileAtomically(const std::string& path, std::string_view text) {
  AtomicFile file(path);
  file.Write(text);
  file.Commit();
}

}  // namespace bnlab
