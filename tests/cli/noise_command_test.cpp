// `bnlab noise` as a user runs it: the table, the CSV and JSON it promises, and one-line
// errors with exit 2 for what it cannot measure.
#include "../common/subprocess.h"
#include "../common/confine.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using bnlab::testing_subprocess::ExpectOneLineError;
using bnlab::testing_subprocess::ReadFile;
using bnlab::testing_subprocess::Result;
using bnlab::testing_subprocess::RunBnlab;
using bnlab::testing_subprocess::TempPath;

// A small, quick setting: the spiral (2 000 training samples), two layers of 16.
std::vector<std::string> Small(std::vector<std::string> more) {
  std::vector<std::string> args = {"noise",   "--dataset", "spiral",  "--layers", "16,16",
                                   "--steps", "20",        "--draws", "8",        "--quiet"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::vector<std::string> SplitLine(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (char c : line) {
    if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

TEST(NoiseCommand, TableHasEveryLayerTheGradientsAndTheSlopes) {
  const auto result = RunBnlab(Small({"--batches", "1,4,16,64"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;  // --quiet
  EXPECT_NE(result.out.find("BN layer 1"), std::string::npos);
  EXPECT_NE(result.out.find("BN layer 2"), std::string::npos);
  EXPECT_EQ(result.out.find("BN layer 3"), std::string::npos);
  EXPECT_NE(result.out.find("Gradient noise"), std::string::npos);
  EXPECT_NE(result.out.find("Fitted log-log slopes"), std::string::npos);
  EXPECT_NE(result.out.find("after 20 steps"), std::string::npos);
}

TEST(NoiseCommand, CsvRowsPerBatchSizeAndLayerWithTheDocumentedColumns) {
  const std::string csv = TempPath("noise.csv");
  const auto result = RunBnlab(Small({"--batches", "2,8,32", "--csv", csv}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string text = ReadFile(csv);
  std::remove(csv.c_str());
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 1u + 3u * 2u);  // header, 3 batch sizes × 2 layers
  const std::vector<std::string> header = SplitLine(lines[0]);
  const std::vector<std::string> first = {
      "batch_size",           "layer",        "std_batch_mean",    "std_batch_mean_theory", "std_batch_var",
      "std_batch_var_theory", "sample_noise", "grad_cosine_plain", "grad_cosine_bn",        "grad_rel_var_plain",
      "grad_rel_var_bn"};
  ASSERT_GE(header.size(), first.size());
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + static_cast<long>(first.size())), first);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = SplitLine(lines[i]);
    ASSERT_EQ(cells.size(), header.size()) << lines[i];
    const double m = std::stod(cells[0]);
    EXPECT_EQ(cells[1], i % 2 == 1 ? "1" : "2");
    // The theory column is √((1 − m/N)/m) with N = 2000 training samples.
    EXPECT_NEAR(std::stod(cells[3]), std::sqrt((1.0 - m / 2000.0) / m), 1e-9) << lines[i];
    for (std::size_t c = 2; c < cells.size(); ++c) EXPECT_FALSE(cells[c].empty()) << header[c] << ": " << lines[i];
  }
}

TEST(NoiseCommand, JsonHasTypedPointsAndSlopes) {
  const auto result = RunBnlab(Small({"--batches", "4,16,64", "--json", "--layer", "2"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["dataset"], "spiral");
  EXPECT_EQ(json["trained_steps"], 20);
  EXPECT_EQ(json["draws"], 8);
  ASSERT_EQ(json["points"].size(), 3u);
  const nlohmann::json& point = json["points"][1];
  EXPECT_EQ(point["batch_size"], 16);
  ASSERT_EQ(point["layers"].size(), 1u);  // --layer 2 only
  EXPECT_EQ(point["layers"][0]["layer"], 2);
  EXPECT_TRUE(point["layers"][0]["std_batch_mean"]["median"].is_number());
  EXPECT_TRUE(point["gradient"]["plain"]["cosine"].is_number());
  EXPECT_TRUE(point["gradient"]["bn"]["rel_var"].is_number());
  EXPECT_TRUE(json["slopes"]["layers"][0]["std_batch_mean"].is_number());
}

TEST(NoiseCommand, MeasuresTheColumnWithBatchStatistics) {
  const auto result = RunBnlab(Small({"--batches", "4,16", "--json", "--left", "renorm", "--right", "layernorm"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["left"], "renorm");
  EXPECT_EQ(json["right"], "layernorm");
  EXPECT_EQ(json["statistics"], "renorm");
  const nlohmann::json& point = json["points"][0];
  EXPECT_TRUE(point["layers"][0]["std_batch_mean"]["median"].is_number());
  EXPECT_TRUE(point["gradient"]["renorm"]["cosine"].is_number());
  EXPECT_TRUE(point["gradient"]["layernorm"]["rel_var"].is_number());
  const auto table = RunBnlab(Small({"--batches", "4", "--left", "renorm", "--right", "layernorm"}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Batch Renorm layer 1"), std::string::npos) << table.out;
}

TEST(NoiseCommand, WithoutBatchStatisticsItSaysSo) {
  const auto result = RunBnlab(Small({"--left", "layernorm", "--right", "none"}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("neither column uses them (--left layernorm, --right none)"), std::string::npos)
      << result.err;
}

TEST(NoiseCommand, BadInputIsOneLineAndExitTwo) {
  ExpectOneLineError(RunBnlab(Small({"--batches", "0,4"})), "bnlab noise: --batches:", "0 is out of range");
  ExpectOneLineError(RunBnlab(Small({"--batches", "2001"})), "bnlab noise: --batches:", "[1, 1999]");
  // The whole training set: every batch is the same set, so it has no spread (it printed nan).
  ExpectOneLineError(RunBnlab({"noise", "--dataset", "spiral", "--batches", "2000", "--steps", "0", "--draws", "4"}),
                     "bnlab noise: --batches:", "2000 is not below the training set's 2000 samples");
  ExpectOneLineError(RunBnlab({"noise", "--dataset", "spiral", "--steps", "0", "--draws", "1"}),
                     "bnlab noise: --draws:", "1 is out of range");
  ExpectOneLineError(RunBnlab(Small({"--layer", "3"})), "bnlab noise: --layer:", "the nets have 2");
  ExpectOneLineError(RunBnlab(Small({"--csv", ""})), "bnlab noise: --csv:", "empty");
  ExpectOneLineError(RunBnlab(Small({"--sample", "5000"})), "bnlab noise: --sample:", "outside the training set");
  ExpectOneLineError(RunBnlab(Small({"--threads", "3"})), "bnlab noise:", "--threads");
  ExpectOneLineError(RunBnlab(Small({"--csv", "/nonexistent-dir/x.csv"})),
                     "bnlab noise: --csv:", "/nonexistent-dir/x.csv");
}

// A slope needs two batch sizes up to N/4 with a figure above 0: where there are fewer, the
// table says "not fitted" and why, and the JSON has null (before, the table printed "nan").
TEST(NoiseCommand, ASlopeThatCannotBeFittedIsSaidSoNeverNan) {
  for (const std::vector<std::string>& batches :
       {std::vector<std::string>{"--batches", "600,1200"}, std::vector<std::string>{"--batches", "1,2"}}) {
    SCOPED_TRACE(batches[1]);
    const Result table = RunBnlab(Small(batches));
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_EQ(table.out.find("nan"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("not fitted"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("(not fitted: fewer than two of the batch sizes"), std::string::npos) << table.out;
    const Result json = RunBnlab(Small({batches[0], batches[1], "--json"}));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_TRUE(nlohmann::json::parse(json.out)["slopes"]["grad_rel_var"]["plain"].is_null()) << json.out;
  }
  const Result fitted = RunBnlab(Small({"--batches", "8,16,32"}));
  ASSERT_EQ(fitted.exit_code, 0) << fitted.err;
  EXPECT_EQ(fitted.out.find("not fitted"), std::string::npos) << fitted.out;
}

// The table, the JSON and the CSV asked for reach their files, or the run says which did not.
TEST(NoiseCommand, AnOutputThatCannotBeWrittenIsNamedAndExitsTwo) {
  ExpectOneLineError(RunBnlab(Small({"--batches", "4,16"}), "/dev/full"),
                     "bnlab noise: ", "cannot write the table to stdout: No space left on device");
  ExpectOneLineError(RunBnlab(Small({"--batches", "4,16", "--json"}), "/dev/full"),
                     "bnlab noise: ", "cannot write the JSON results to stdout");
  ExpectOneLineError(RunBnlab(Small({"--batches", "4,16", "--csv", "/dev/full"})), "bnlab noise: ", "'/dev/full'");
}

// --csv replaces its file whole or not at all (the old file stays, nothing is left beside it).
TEST(NoiseCommand, ACsvThatCannotBeWrittenLeavesTheOldFile) {
  namespace fs = std::filesystem;
  const std::string folder = TempPath("noise_keep");
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string path = folder + "/noise.csv";
  std::ofstream(path) << "the old sweep\n";
  const Result full = RunBnlab(Small({"--csv", path}), "", [] { return bnlab::testing_confine::LimitFileSize(1024); });
  ExpectOneLineError(full, "bnlab noise: --csv: ", "cannot write '" + path + "': File too large");
  EXPECT_EQ(ReadFile(path), "the old sweep\n");
  const Result read_only =
      RunBnlab(Small({"--csv", path}), "", [&] { return bnlab::testing_confine::ReadOnlyFolder(folder); });
  fs::permissions(folder, fs::perms::owner_all);
  ASSERT_NE(read_only.exit_code, 126) << "could not make the folder read-only";
  ExpectOneLineError(read_only, "bnlab noise: --csv: ", "cannot write '" + path + "'");
  EXPECT_EQ(ReadFile(path), "the old sweep\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1) << "a file left beside it";
  fs::remove_all(folder);
}

std::vector<std::string> SmallRegularization(std::vector<std::string> more) {
  std::vector<std::string> args = {"noise",          "--regularization",
                                   "--dataset",      "moons",
                                   "--layers",       "16,16",
                                   "--reg-subset",   "200",
                                   "--reg-batch",    "32",
                                   "--ghost-groups", "4,32",
                                   "--reg-steps",    "40",
                                   "--reg-seeds",    "2",
                                   "--quiet"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(NoiseCommand, RegularizationReportsEverySettingAndAVerdict) {
  const std::string csv = TempPath("ghost.csv");
  const auto result = RunBnlab(SmallRegularization({"--json", "--csv", csv}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["rows"].size(), 3u);  // plain, g = 4, g = 32
  EXPECT_EQ(json["rows"][0]["net"], "plain");
  EXPECT_EQ(json["rows"][1]["ghost_group"], 4);
  EXPECT_EQ(json["rows"][2]["train_acc"].size(), 2u);
  EXPECT_TRUE(json["verdict"].is_string());
  EXPECT_FALSE(json["verdict"].get<std::string>().empty());
  const std::string text = ReadFile(csv);
  std::remove(csv.c_str());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "net,ghost_group,seeds,train_acc_mean,train_acc_std,test_acc_mean,test_acc_std,gap_mean,gap_std");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
}

TEST(NoiseCommand, RegularizationRejectsAGroupLargerThanTheBatch) {
  ExpectOneLineError(RunBnlab(SmallRegularization({"--ghost-groups", "64"})),
                     "bnlab noise: --regularization:", "ghost group 64");
}

}  // namespace
