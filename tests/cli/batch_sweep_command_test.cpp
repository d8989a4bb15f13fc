// `bnlab noise --batch-sweep` as a user runs it: the JSON, CSV and progress it promises, and
// one-line errors with exit 2 for a size list, subset or rule it cannot run.
#include "../common/subprocess.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

using bnlab::testing_subprocess::ExpectOneLineError;
using bnlab::testing_subprocess::Lines;
using bnlab::testing_subprocess::ReadFile;
using bnlab::testing_subprocess::RunBnlab;
using bnlab::testing_subprocess::TempPath;

// Two moons, a small net; 3 sizes, 2 rules, 2 seeds: 12 runs of 1 024 samples. A flag given in
// `more` replaces the default's.
std::vector<std::string> Small(std::vector<std::string> more) {
  std::vector<std::string> args = {"noise",        "--batch-sweep", "--dataset", "moons", "--layers", "16,16",
                                   "--init-scale", "0.5",           "--lr",      "0.5",   "--batch",  "8"};
  const std::vector<std::pair<std::string, std::string>> defaults = {
      {"--sweep-sizes", "2,8,32"}, {"--sweep-subset", "128"}, {"--sweep-epochs", "8"}, {"--sweep-seeds", "2"}};
  for (const auto& [flag, value] : defaults) {
    if (std::find(more.begin(), more.end(), flag) == more.end()) {
      args.push_back(flag);
      args.push_back(value);
    }
  }
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(BatchSweepCommand, JsonCsvAndAVerdict) {
  const std::string csv = TempPath("batch-sweep.csv");
  const auto result = RunBnlab(Small({"--json", "--quiet", "--csv", csv}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const nlohmann::json json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["rows"].size(), 12u);  // 2 rules × 2 nets × 3 sizes
  for (const auto& row : json["rows"]) {
    EXPECT_EQ(row["samples"], 1024);
    EXPECT_EQ(row["test_acc"].size(), 2u);
  }
  EXPECT_EQ(json["rows"][0]["rule"], "same");
  EXPECT_EQ(json["rows"][0]["lr"], 0.5);
  EXPECT_EQ(json["rows"][6]["rule"], "scaled");
  EXPECT_EQ(json["rows"][6]["lr"], 0.125);  // m = 2: 2 × 0.5 / 8
  EXPECT_EQ(json["best"].size(), 4u);
  EXPECT_NE(json["moderate"].get<std::string>().find("50-100"), std::string::npos);
  EXPECT_NE(json["verdict"].get<std::string>().find("best at m = "), std::string::npos);
  const std::vector<std::string> lines = Lines(ReadFile(csv));
  std::remove(csv.c_str());
  ASSERT_EQ(lines.size(), 25u);  // the header and a row per (rule, net, size, seed)
  EXPECT_EQ(lines[0].rfind("rule,net,batch_size,lr,lr_capped,steps,samples,seed,", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("same,plain,2,0.5,0,512,1024,1,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("same,plain,2,0.5,0,512,1024,2,", 0), 0u) << lines[2];
}

TEST(BatchSweepCommand, TableAndProgressOnStderr) {
  const auto result = RunBnlab(Small({"--sweep-rules", "scaled", "--sweep-lr-cap", "1"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("batch sweep: run 1/6 done"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("batch sweep: run 6/6 done"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("lr rule: scaled"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("lr rule: same"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("1*"), std::string::npos) << "m = 32 is capped at 1: " << result.out;
  EXPECT_NE(result.out.find("The seed's"), std::string::npos) << result.out;
}

TEST(BatchSweepCommand, BadInputIsOneLineAndExitTwo) {
  ExpectOneLineError(RunBnlab(Small({"--sweep-sizes", "8,2"})), "bnlab noise: --batch-sweep:", "ascending");
  ExpectOneLineError(RunBnlab(Small({"--sweep-sizes", "2,256"})),
                     "bnlab noise: --batch-sweep:", "batch size 256 must be in [1, 128]");
  ExpectOneLineError(RunBnlab(Small({"--sweep-sizes", ""})), "bnlab noise: --sweep-sizes:", "the list is empty");
  ExpectOneLineError(RunBnlab(Small({"--sweep-sizes", "2,x"})),
                     "bnlab noise: --sweep-sizes:", "'x' is not a batch size");
  ExpectOneLineError(RunBnlab(Small({"--sweep-rules", "linear"})),
                     "bnlab noise: --sweep-rules:", "'linear' is not a learning-rate rule (expected same, scaled)");
  ExpectOneLineError(RunBnlab(Small({"--sweep-subset", "100000"})),
                     "bnlab noise: --batch-sweep:", "training subset (100000)");
  ExpectOneLineError(RunBnlab(Small({"--regularization"})), "bnlab noise:", "two experiments");
}

}  // namespace
