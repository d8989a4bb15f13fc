// Files replaced whole or not at all. The bytes go to a temporary file in the target's folder
// (".NAME.tmp-PID-N"), which is flushed, synced and then renamed over the target: a crash, a
// kill or a full disk in the middle leaves the old file as it was. Any failure removes the
// temporary file and throws an error naming the target.
//
// Every file bnlab writes goes through here: ui.toml, Save as scene, the CSV export, the
// screenshots and the headless commands' CSVs. A target that exists and is not a regular file
// (/dev/null, /dev/full, a pipe, /dev/stdout) cannot be replaced by renaming: it is written in
// place, and its errors are reported the same way. A symbolic link stays a link: the file it
// points to is replaced.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bnlab {

// A file that cannot be written. The message names it and says why:
// "cannot write 'runs/a.csv': No space left on device".
class FileWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AtomicFile {
 public:
  // Creates the temporary file beside `path`, so that a folder that does not take it (missing,
  // read-only) is reported before any work. Throws FileWriteError naming `path`.
  explicit AtomicFile(std::string path);
  // Without a Commit the target stays untouched and the temporary file is removed.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes. The first failure is kept and thrown by Commit; later writes do nothing.
  void Write(const void* data, std::size_t size);
  void Write(std::string_view text) { Write(text.data(), text.size()); }

  // Syncs the temporary file and renames it over the target. Throws FileWriteError naming the
  // target, having removed the temporary file (the old file is intact), when anything failed.
  void Commit();
  // Removes the temporary file; the target stays as it was. Commit or Discard, once.
  void Discard();

  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void Fail(int error_number);

  std::string path_;         // as the caller gave it: what messages name
  std::string target_path_;  // what is replaced: path_, or the file its link points to
  std::string temp_path_;    // empty when writing in place
  int fd_ = -1;
  int error_ = 0;          // errno of the first failed write
  int pending_slot_ = -1;  // where RemovePendingTempFiles finds temp_path_
};

// Replaces `path` with `text` through an AtomicFile. Throws FileWriteError naming `path`.
void WriteFileAtomically(const std::string& path, std::string_view text);

// Removes the temporary file of every AtomicFile neither committed nor discarded, with
// async-signal-safe calls only (unlink): for a signal handler about to end the process, so that
// Ctrl+C in the middle of a write leaves no part of a file behind (the old files are intact).
void RemovePendingTempFiles() noexcept;

}  // namespace bnlab
