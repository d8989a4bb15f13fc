// `bnlab train` as a user runs it: the built executable in a subprocess, checking exit
// codes, the JSON summary, the text summary and the CSV file, and outputs that cannot be written.
// Bad input: train_bad_input_test.cpp; the normalizations against each other: train_variants_test.cpp.
#include "train_usage_error.h"
#include "../common/subprocess.h"
#include "../common/confine.h"
#include "../common/csv.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using bnlab::testing_csv::SplitCsv;
using bnlab::testing_subprocess::ExpectOneLineError;
using bnlab::testing_subprocess::Lines;
using bnlab::testing_subprocess::ReadFile;
using bnlab::testing_subprocess::Result;
using bnlab::testing_subprocess::RunBnlab;
using bnlab::testing_subprocess::TempPath;

TEST(TrainCommand, JsonSummary) {
  const Result result = RunBnlab({"train", "--dataset", "spiral", "--steps", "200", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Lines(result.out).size(), 1u);  // one line, for `jq` and line-based tools
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["steps"], 200);
  EXPECT_TRUE(json["seconds"].is_number());
  EXPECT_TRUE(json["steps_per_second"].is_number());
  EXPECT_TRUE(json["scene"].is_null());
  // Every setting, typed: numbers, booleans, strings, the widths as an array of integers.
  const nlohmann::json& config = json["config"];
  EXPECT_EQ(config["dataset"], "spiral");
  EXPECT_EQ(config["layers"], nlohmann::json::array({100, 100, 100}));
  EXPECT_EQ(config["batch"], 60);
  EXPECT_DOUBLE_EQ(config["lr"].get<double>(), 0.1);
  EXPECT_EQ(config["standardize"], false);
  EXPECT_EQ(config["left"], "none");
  EXPECT_EQ(json["dataset"]["name"], "spiral");
  EXPECT_EQ(json["dataset"]["features"], 2);
  for (const char* net : {"plain", "bn"}) {
    SCOPED_TRACE(net);
    const nlohmann::json& n = json[net];
    ASSERT_TRUE(n.is_object());
    EXPECT_GE(n["test_acc"].get<double>(), 0.0);
    EXPECT_LE(n["test_acc"].get<double>(), 1.0);
    EXPECT_TRUE(n["test_loss"].is_number());
    EXPECT_EQ(n["diverged"], false);
    EXPECT_TRUE(n["diverged_at_step"].is_null());
    ASSERT_EQ(n["saturated"].size(), 3u);
    EXPECT_TRUE(n["saturated"][0].is_number());
  }
  EXPECT_EQ(json["plain"]["variant"], "none");
  EXPECT_EQ(json["bn"]["variant"], "bn");
  EXPECT_NE(result.err.find("step 200/200"), std::string::npos) << result.err;  // progress on stderr
}

// A path is bytes: one that is not UTF-8 still gives valid JSON, the bad byte as U+FFFD.
TEST(TrainCommand, JsonStaysValidForAScenePathThatIsNotUtf8) {
  const std::string dir = TempPath("scene\xff\xfe");
  std::filesystem::create_directories(dir);
  const std::string scene = dir + "/s.toml";
  std::ofstream(scene) << "title = \"t\"\ndataset = \"spiral\"\n";
  const Result result = RunBnlab({"train", "--scene", scene, "--steps", "5", "--json", "--quiet"});
  std::filesystem::remove_all(dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json json;
  ASSERT_NO_THROW(json = nlohmann::json::parse(result.out)) << result.out;
  const std::string path = json["scene"].get<std::string>();
  EXPECT_NE(path.find("\xEF\xBF\xBD"), std::string::npos) << path;  // U+FFFD
  EXPECT_EQ(path.find('\xff'), std::string::npos) << path;
}

TEST(TrainCommand, DivergedNetInJsonHasItsStep) {
  const Result result = RunBnlab({"train", "--dataset", "spiral", "--activation", "relu", "--init", "xavier", "--lr",
                                  "1000", "--init-scale", "100", "--steps", "40", "--json", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  int diverged = 0;
  for (const char* net : {"plain", "bn"}) {
    const nlohmann::json& n = json[net];
    if (n["diverged"] != true) continue;
    ++diverged;
    EXPECT_TRUE(n["diverged_at_step"].is_number_integer()) << result.out;
    EXPECT_GE(n["diverged_at_step"].get<long>(), 1);
    EXPECT_LE(n["diverged_at_step"].get<long>(), 40);
  }
  EXPECT_GE(diverged, 1) << result.out;
  EXPECT_EQ(result.out.find("nan"), std::string::npos) << result.out;  // not finite: null
}

TEST(TrainCommand, TextSummaryAndQuiet) {
  const Result result = RunBnlab({"train", "--scene", "spiral", "--steps", "50", "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("plain"), std::string::npos);
  EXPECT_NE(result.out.find("bn "), std::string::npos);
  EXPECT_NE(result.out.find("50 steps"), std::string::npos) << result.out;
}

TEST(TrainCommand, CsvHasHeaderAndTwoRowsPerStep) {
  const std::string csv_path = TempPath("run.csv");
  const int steps = 60;
  const Result result =
      RunBnlab({"train", "--dataset", "spiral", "--steps", std::to_string(steps), "--layers", "16,8", "--eval-every",
                "20", "--probe-every", "7", "--lr", "0.25", "--csv", csv_path, "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(ReadFile(csv_path));
  std::remove(csv_path.c_str());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(2 * steps + 1));
  EXPECT_EQ(lines[0],
            "step,net,train_loss,batch_acc,test_loss,test_acc,lr,batch,saturated_l1,saturated_l2,"
            "grad_norm_l1,grad_norm_l2,update_ratio_l1,update_ratio_l2,"
            "test_acc_batch,test_acc_running,test_acc_population,"
            "running_mean_l1,running_mean_l2,running_var_l1,running_var_l2,"
            "population_mean_l1,population_mean_l2,population_var_l1,population_var_l2,"
            "landscape_loss_lo,landscape_loss_hi,grad_change_lo,grad_change_hi,smoothness");
  for (std::size_t row = 1; row < lines.size(); ++row) {
    const std::vector<std::string> cells = SplitCsv(lines[row]);
    ASSERT_EQ(cells.size(), 30u) << lines[row];
    const long step = std::stol(cells[0]);
    EXPECT_EQ(step, static_cast<long>((row + 1) / 2));
    EXPECT_EQ(cells[1], row % 2 == 1 ? "plain" : "bn");
    EXPECT_FALSE(cells[2].empty());
    const bool eval_step = step % 20 == 0;
    const bool probe_step = step % 7 == 0 || step == steps;
    EXPECT_EQ(cells[4].empty(), !eval_step) << lines[row];
    EXPECT_EQ(cells[5].empty(), !eval_step) << lines[row];
    EXPECT_EQ(cells[6], "0.25");
    EXPECT_EQ(cells[7], "60");
    for (std::size_t c = 8; c < 14; ++c) EXPECT_EQ(cells[c].empty(), !probe_step) << lines[row];
    // The three test modes on eval steps; the running figures of the BN net's probe unit on
    // probe steps, its population figures on eval steps.
    const bool bn = cells[1] == "bn";
    for (std::size_t c = 14; c < 17; ++c) EXPECT_EQ(cells[c].empty(), !eval_step) << lines[row];
    if (eval_step && !bn) {
      EXPECT_EQ(cells[14], cells[15]);  // nothing to normalize: one answer
      EXPECT_EQ(cells[15], cells[16]);
    }
    if (eval_step) {
      EXPECT_EQ(cells[15], cells[5]);  // running statistics: the eval-mode test_acc
    }
    for (std::size_t c = 17; c < 21; ++c) EXPECT_EQ(cells[c].empty(), !(bn && probe_step)) << lines[row];
    for (std::size_t c = 21; c < 25; ++c) EXPECT_EQ(cells[c].empty(), !(bn && eval_step)) << lines[row];
    // The loss landscape of both nets on probe steps: ordered ranges, a positive smoothness.
    for (std::size_t c = 25; c < 30; ++c) EXPECT_EQ(cells[c].empty(), !probe_step) << lines[row];
    if (probe_step) {
      EXPECT_LE(std::stod(cells[25]), std::stod(cells[26])) << lines[row];
      EXPECT_LE(std::stod(cells[27]), std::stod(cells[28])) << lines[row];
      EXPECT_GT(std::stod(cells[29]), 0.0) << lines[row];
    }
  }
}

TEST(TrainCommand, DivergedNetReportedAndItsRowsStop) {
  const std::string csv_path = TempPath("diverge.csv");
  const Result result = RunBnlab({"train", "--dataset", "spiral", "--activation", "relu", "--init", "xavier", "--lr",
                                  "1000", "--init-scale", "100", "--steps", "40", "--json", "--csv", csv_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\"diverged\":true"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("diverged"), std::string::npos) << result.err;
  const std::vector<std::string> lines = Lines(ReadFile(csv_path));
  std::remove(csv_path.c_str());
  EXPECT_LT(lines.size(), 2u * 40 + 1);
  int non_finite = 0;
  for (const std::string& line : lines) {
    const std::vector<std::string> cells = SplitCsv(line);
    if (cells.size() > 2 && (cells[2].find("nan") != std::string::npos || cells[2].find("inf") != std::string::npos)) {
      ++non_finite;
    }
  }
  EXPECT_GE(non_finite, 1);
  EXPECT_LE(non_finite, 2);  // at most once per net
}

TEST(TrainCommand, HelpExitsZero) {
  const Result result = RunBnlab({"train", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag : {"--batch", "--scene", "--csv", "--json", "--layers", "--bn-placement", "--quiet"}) {
    EXPECT_NE(result.out.find(flag), std::string::npos) << flag;
  }
}

// Every output asked for reaches its file, or the run says which did not and exits 2: a
// summary sent to a full disk (/dev/full) is not lost silently.
TEST(TrainCommand, AnOutputThatCannotBeWrittenIsNamedAndExitsTwo) {
  const std::vector<std::string> run = {"train", "--dataset", "spiral", "--steps", "20", "--quiet"};
  auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), run.begin(), run.end());
    return more;
  };
  ExpectOneLineError(RunBnlab(with({"--json"}), "/dev/full"),
                     "bnlab train: ", "cannot write the JSON summary to stdout: No space left on device");
  ExpectOneLineError(RunBnlab(run, "/dev/full"), "bnlab train: ", "cannot write the summary to stdout");
  ExpectOneLineError(RunBnlab(with({"--csv", "/dev/full"})), "bnlab train: ", "'/dev/full'");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"--version"}, {"train", "--help"}, {"train", "--version"}, {"noise", "--help"}}) {
    SCOPED_TRACE(args[0]);
    ExpectOneLineError(RunBnlab(args, "/dev/full"), "bnlab: ", "cannot write to stdout");
  }
}

// --csv replaces its file whole or not at all: a disk that fills up (a file size limit) or a
// read-only folder leaves the old file as it was and nothing beside it, and the error names it.
TEST(TrainCommand, ACsvThatCannotBeWrittenLeavesTheOldFile) {
  namespace fs = std::filesystem;
  const std::string folder = TempPath("train_keep");
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string path = folder + "/run.csv";
  std::ofstream(path) << "the old run\n";
  const std::vector<std::string> args = {"train", "--dataset", "spiral", "--steps", "200", "--quiet", "--csv", path};
  const Result full = RunBnlab(args, "", [] { return bnlab::testing_confine::LimitFileSize(4096); });
  ExpectOneLineError(full, "bnlab train: ", "cannot write '" + path + "': File too large");
  EXPECT_EQ(ReadFile(path), "the old run\n");
  const Result read_only = RunBnlab(args, "", [&] { return bnlab::testing_confine::ReadOnlyFolder(folder); });
  fs::permissions(folder, fs::perms::owner_all);
  ASSERT_NE(read_only.exit_code, 126) << "could not make the folder read-only";
  ExpectOneLineError(read_only, "bnlab train: ", "cannot write '" + path + "'");
  EXPECT_EQ(ReadFile(path), "the old run\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1) << "a file left beside it";
  fs::remove_all(folder);
}

// Ctrl+C ends a run at once, by SIGINT (130 from a shell), leaving the old --csv file as it was
// and no part of the new one beside it.
TEST(TrainCommand, CtrlCEndsTheRunAndLeavesNoUnfinishedFile) {
  namespace fs = std::filesystem;
  const std::string folder = TempPath("train_interrupt");
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string path = folder + "/run.csv", err_path = TempPath("train_interrupt_stderr");
  std::ofstream(path) << "the old run\n";
  auto files = [&] { return std::distance(fs::directory_iterator(folder), fs::directory_iterator()); };
  const pid_t pid = fork();
  if (pid == 0) {
    std::signal(SIGINT, SIG_DFL);  // as a terminal's foreground job has it
    if (!std::freopen("/dev/null", "w", stdout) || !std::freopen(err_path.c_str(), "w", stderr)) _exit(127);
    execl(BNLAB_EXE, BNLAB_EXE, "train", "--dataset", "spiral", "--steps", "10000000", "--quiet", "--csv", path.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  // Running, and writing, once its temporary file is beside the old one.
  for (int i = 0; i < 1000 && files() < 2; ++i) usleep(10000);
  EXPECT_EQ(files(), 2) << "no temporary file appeared";
  usleep(300000);  // training
  kill(pid, SIGINT);
  int status = 0;
  for (int i = 0; i < 1000 && waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(10000);
  if (kill(pid, 0) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "SIGINT did not end the run within 10 s";
  }
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status;
  EXPECT_EQ(ReadFile(path), "the old run\n");
  EXPECT_EQ(files(), 1) << "a file left beside it";
  EXPECT_EQ(ReadFile(err_path), "bnlab: interrupted; no unfinished file is left\n");
  std::remove(err_path.c_str());
  fs::remove_all(folder);
}

// The two nets step on two threads by default; the run is the same, to the last bit, on one.
TEST(TrainCommand, OneThreadAndTwoWriteTheSameCsv) {
  std::string files[2];
  for (int threads : {1, 2}) {
    const std::string path = TempPath("threads" + std::to_string(threads) + ".csv");
    const Result result =
        RunBnlab({"train", "--dataset", "spiral", "--steps", "300", "--layers", "32,32", "--eval-every", "50",
                  "--threads", std::to_string(threads), "--csv", path, "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    files[threads - 1] = ReadFile(path);
    std::remove(path.c_str());
  }
  EXPECT_GT(files[0].size(), 1000u);
  EXPECT_TRUE(files[0] == files[1]) << "the CSVs of --threads 1 and --threads 2 differ";
  ExpectUsageError({"train", "--dataset", "spiral", "--threads", "3"}, "--threads");
}

TEST(TrainCommand, NanIsWrittenAsNanNeverMinusNan) {
  const std::string csv_path = TempPath("nan.csv");
  const Result result =
      RunBnlab({"train", "--dataset", "spiral", "--activation", "relu", "--init", "xavier", "--lr", "1000",
                "--init-scale", "100", "--steps", "40", "--eval-every", "1", "--csv", csv_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string csv = ReadFile(csv_path);
  std::remove(csv_path.c_str());
  EXPECT_NE(csv.find(",nan,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("-nan"), std::string::npos) << csv;
  EXPECT_NE(result.err.find("(loss nan)"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("-nan"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("-nan"), std::string::npos) << result.out;
}

// ReLU at lr 1000 on the spiral (seed 1): after 5 steps the BN net's training loss is still
// finite but its eval-mode test loss is not (its running variance has overflowed).
TEST(TrainCommand, ANonFiniteTestLossOfATrainingNetIsSaidNotHidden) {
  const std::vector<std::string> args = {"train", "--dataset", "spiral", "--activation", "relu", "--lr",
                                         "1000",  "--steps",   "5",      "--eval-every", "1"};
  std::vector<std::string> json_args = args;
  json_args.push_back("--json");
  const Result json = RunBnlab(json_args);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::size_t bn = json.out.find("\"bn\":{");
  ASSERT_NE(bn, std::string::npos) << json.out;
  const std::string bn_json = json.out.substr(bn);
  ASSERT_NE(bn_json.find("\"diverged\":false"), std::string::npos) << bn_json;
  EXPECT_NE(bn_json.find("\"test_loss\":null"), std::string::npos) << bn_json;
  EXPECT_NE(bn_json.find("\"test_loss_finite\":false"), std::string::npos) << bn_json;
  EXPECT_NE(json.err.find("the bn net's test loss is "), std::string::npos) << json.err;
  EXPECT_NE(json.err.find(" (eval mode) although its training loss is finite"), std::string::npos) << json.err;

  const Result text = RunBnlab(args);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("bn did not diverge in training, but its test loss (eval mode) is "), std::string::npos)
      << text.out;
}

}  // namespace
