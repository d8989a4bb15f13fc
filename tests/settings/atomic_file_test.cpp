// AtomicFile: a file is replaced whole or not at all. Against a full disk (a file size limit,
// a small tmpfs), a read-only folder and /dev/full: the old file stays intact, no temporary
// file is left beside it, and the error names the file.
#include "settings/atomic_file.h"

#include "../common/confine.h"
#include "../common/subprocess.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace bnlab {
namespace {

namespace fs = std::filesystem;
using testing_subprocess::ReadFile;
using testing_subprocess::TempPath;

// A fresh, empty folder holding only `name` with `text`.
std::string FolderWithFile(const std::string& folder_name, const std::string& name, const std::string& text) {
  const std::string folder = TempPath(folder_name);
  fs::remove_all(folder);
  fs::create_directories(folder);
  std::ofstream(folder + "/" + name) << text;
  return folder;
}

std::vector<std::string> Listing(const std::string& folder) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// The outcomes a child reports by its exit code.
enum ChildResult { kThrewNamingTheFile = 0, kDidNotThrow = 1, kMessageWithoutThePath = 2, kNoConfinement = 77 };

// In a forked child (the confinements must not touch the test process): `confine`, then
// replace `path` with `text`. What happened, as a ChildResult.
int WriteInChild(const std::function<bool()>& confine, const std::string& path, const std::string& text) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (!confine()) _exit(kNoConfinement);
    try {
      WriteFileAtomically(path, text);
    } catch (const FileWriteError& error) {
      _exit(std::string(error.what()).find("'" + path + "'") != std::string::npos ? kThrewNamingTheFile
                                                                                  : kMessageWithoutThePath);
    }
    _exit(kDidNotThrow);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

const std::string kOld = "the old file, whole\n";

TEST(AtomicFile, ReplacesTheFileAndLeavesNothingBesideIt) {
  const std::string folder = FolderWithFile("atomic_replace", "keep.txt", kOld);
  const std::string path = folder + "/keep.txt";
  WriteFileAtomically(path, "new\n");
  EXPECT_EQ(ReadFile(path), "new\n");
  EXPECT_EQ(Listing(folder), std::vector<std::string>{"keep.txt"});
  WriteFileAtomically(folder + "/fresh.txt", "fresh\n");
  EXPECT_EQ(ReadFile(folder + "/fresh.txt"), "fresh\n");
  fs::remove_all(folder);
}

TEST(AtomicFile, KeepsTheModeOfTheFileItReplaces) {
  const std::string folder = FolderWithFile("atomic_mode", "keep.txt", kOld);
  const std::string path = folder + "/keep.txt";
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  WriteFileAtomically(path, "new\n");
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
  fs::remove_all(folder);
}

TEST(AtomicFile, WithoutCommitTheOldFileStaysAndNothingIsLeft) {
  const std::string folder = FolderWithFile("atomic_discard", "keep.txt", kOld);
  {
    AtomicFile file(folder + "/keep.txt");
    file.Write("half a fi");
  }  // an error, an interrupted run: no Commit
  EXPECT_EQ(ReadFile(folder + "/keep.txt"), kOld);
  EXPECT_EQ(Listing(folder), std::vector<std::string>{"keep.txt"});
  fs::remove_all(folder);
}

// What a signal handler calls before the process ends: the files being written disappear, the
// old ones and the ones already complete stay.
TEST(AtomicFile, RemovePendingTempFilesLeavesOnlyTheCompleteFiles) {
  const std::string folder = FolderWithFile("atomic_pending", "keep.txt", kOld);
  WriteFileAtomically(folder + "/done.txt", "complete\n");
  AtomicFile over_old(folder + "/keep.txt");
  over_old.Write("half a fi");
  AtomicFile fresh(folder + "/fresh.txt");
  ASSERT_EQ(Listing(folder).size(), 4u) << "the two temporary files are not beside their targets";
  RemovePendingTempFiles();
  EXPECT_EQ(Listing(folder), (std::vector<std::string>{"done.txt", "keep.txt"}));
  EXPECT_EQ(ReadFile(folder + "/keep.txt"), kOld);
  EXPECT_EQ(ReadFile(folder + "/done.txt"), "complete\n");
  fs::remove_all(folder);
}

TEST(AtomicFile, ALinkStaysALinkToTheReplacedFile) {
  const std::string folder = FolderWithFile("atomic_link", "keep.txt", kOld);
  fs::create_symlink("keep.txt", folder + "/link.txt");
  WriteFileAtomically(folder + "/link.txt", "through the link\n");
  EXPECT_TRUE(fs::is_symlink(folder + "/link.txt"));
  EXPECT_EQ(ReadFile(folder + "/keep.txt"), "through the link\n");
  EXPECT_EQ(Listing(folder), (std::vector<std::string>{"keep.txt", "link.txt"}));
  fs::remove_all(folder);
}

// A device cannot be renamed over: it is written in place, and its errors still reported.
TEST(AtomicFile, DevicesAreWrittenInPlace) {
  EXPECT_NO_THROW(WriteFileAtomically("/dev/null", "nothing\n"));
  try {
    WriteFileAtomically("/dev/full", "nothing\n");
    FAIL() << "no error";
  } catch (const FileWriteError& error) {
    EXPECT_STREQ(error.what(), "cannot write '/dev/full': No space left on device");
  }
}

TEST(AtomicFile, AMissingFolderIsNamed) {
  try {
    WriteFileAtomically("/nonexistent-dir/x.txt", "x");
    FAIL() << "no error";
  } catch (const FileWriteError& error) {
    EXPECT_STREQ(error.what(), "cannot write '/nonexistent-dir/x.txt': No such file or directory");
  }
}

TEST(AtomicFile, ADiskThatFillsUpLeavesTheOldFile) {
  const std::string folder = FolderWithFile("atomic_fsize", "keep.txt", kOld);
  const std::string path = folder + "/keep.txt";
  const std::string large(64 * 1024, 'x');
  EXPECT_EQ(WriteInChild([] { return testing_confine::LimitFileSize(4096); }, path, large), kThrewNamingTheFile);
  EXPECT_EQ(ReadFile(path), kOld);
  EXPECT_EQ(Listing(folder), std::vector<std::string>{"keep.txt"});
  fs::remove_all(folder);
}

// A real full disk: a tmpfs of 32 KiB (root only, in a mount namespace of the child's own,
// which therefore checks the old file and the folder itself).
TEST(AtomicFile, AFullTmpfsLeavesTheOldFile) {
  const std::string folder = FolderWithFile("atomic_tmpfs", "unused", "");
  const std::string path = folder + "/keep.txt";
  const pid_t pid = fork();
  if (pid == 0) {
    if (!testing_confine::SmallTmpfs(folder, 32 * 1024)) _exit(kNoConfinement);
    std::ofstream(path) << kOld;
    try {
      WriteFileAtomically(path, std::string(256 * 1024, 'x'));
      _exit(kDidNotThrow);
    } catch (const FileWriteError& error) {
      if (error.what() != "cannot write '" + path + "': No space left on device") _exit(kMessageWithoutThePath);
    }
    _exit(ReadFile(path) == kOld && Listing(folder) == std::vector<std::string>{"keep.txt"} ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == kNoConfinement) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no error, 2: another message, 3: the old file was not intact or "
                                       "something was left beside it";
  fs::remove_all(folder);
}

TEST(AtomicFile, AReadOnlyFolderLeavesTheOldFile) {
  const std::string folder = FolderWithFile("atomic_readonly", "keep.txt", kOld);
  const std::string path = folder + "/keep.txt";
  const int result = WriteInChild([&] { return testing_confine::ReadOnlyFolder(folder); }, path, "new\n");
  chmod(folder.c_str(), 0755);
  if (result == kNoConfinement) GTEST_SKIP() << "cannot make a folder read-only here";
  EXPECT_EQ(result, kThrewNamingTheFile);
  EXPECT_EQ(ReadFile(path), kOld);
  EXPECT_EQ(Listing(folder), std::vector<std::string>{"keep.txt"});
  fs::remove_all(folder);
}

}  // namespace
}  // namespace bnlab
