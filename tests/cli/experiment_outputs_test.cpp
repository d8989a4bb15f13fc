// The outputs of bnlab noise's two experiments (--regularization, --batch-sweep) reach their
// files, or the run names the one that did not and exits 2: the table or JSON on stdout sent to
// /dev/full, a --csv on a disk that fills up or in a read-only folder (the old file stays as it
// was, nothing is left beside it).
#include "../common/confine.h"
#include "../common/subprocess.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using bnlab::testing_subprocess::ExpectOneLineError;
using bnlab::testing_subprocess::ReadFile;
using bnlab::testing_subprocess::Result;
using bnlab::testing_subprocess::RunBnlab;
using bnlab::testing_subprocess::TempPath;

// A second or two each: two moons, a small net, few runs.
std::vector<std::string> Experiment(const std::string& which, std::vector<std::string> more) {
  std::vector<std::string> args = {"noise", "--dataset", "moons", "--layers", "8,8", "--quiet"};
  if (which == "regularization") {
    args.insert(args.end(), {"--regularization", "--reg-subset", "100", "--reg-batch", "16", "--ghost-groups", "2,4",
                             "--reg-steps", "20", "--reg-seeds", "2"});
  } else {
    args.insert(args.end(), {"--batch-sweep", "--batch", "8", "--sweep-sizes", "2,8", "--sweep-subset", "64",
                             "--sweep-epochs", "2", "--sweep-seeds", "2"});
  }
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const std::vector<std::string> kExperiments = {"regularization", "batch-sweep"};

TEST(ExperimentOutputs, StdoutOnAFullDiskIsNamedAndExitsTwo) {
  for (const std::string& which : kExperiments) {
    SCOPED_TRACE(which);
    ASSERT_EQ(RunBnlab(Experiment(which, {})).exit_code, 0) << "the experiment itself fails";
    ExpectOneLineError(RunBnlab(Experiment(which, {}), "/dev/full"),
                       "bnlab noise: ", "cannot write the table to stdout: No space left on device");
    ExpectOneLineError(RunBnlab(Experiment(which, {"--json"}), "/dev/full"),
                       "bnlab noise: ", "cannot write the JSON results to stdout: No space left on device");
    ExpectOneLineError(RunBnlab(Experiment(which, {"--csv", "/dev/full"})),
                       "bnlab noise: --csv: ", "cannot write '/dev/full': No space left on device");
  }
}

TEST(ExperimentOutputs, ACsvThatCannotBeWrittenLeavesTheOldFile) {
  for (const std::string& which : kExperiments) {
    SCOPED_TRACE(which);
    const std::string folder = TempPath(which + "_keep");
    fs::remove_all(folder);
    fs::create_directories(folder);
    const std::string path = folder + "/out.csv";
    std::ofstream(path) << "the old results\n";
    const std::vector<std::string> args = Experiment(which, {"--csv", path});
    // Room for the one line on stderr (the child's), not for either CSV (over 250 bytes).
    const Result full = RunBnlab(args, "", [] { return bnlab::testing_confine::LimitFileSize(160); });
    ExpectOneLineError(full, "bnlab noise: --csv: ", "cannot write '" + path + "': File too large");
    EXPECT_EQ(ReadFile(path), "the old results\n");
    const Result read_only = RunBnlab(args, "", [&] { return bnlab::testing_confine::ReadOnlyFolder(folder); });
    fs::permissions(folder, fs::perms::owner_all);
    ASSERT_NE(read_only.exit_code, 126) << "could not make the folder read-only";
    ExpectOneLineError(read_only, "bnlab noise: --csv: ", "cannot write '" + path + "'");
    EXPECT_EQ(ReadFile(path), "the old results\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1) << "a file left beside it";
    const Result written = RunBnlab(args);
    EXPECT_EQ(written.exit_code, 0) << written.err;
    EXPECT_NE(ReadFile(path), "the old results\n");
    fs::remove_all(folder);
  }
}

}  // namespace
