// `bnlab train` comparing two normalizations: LayerNorm where BN cannot learn (batch 1), and BN
// against batch renormalization, through the CSV the run writes.
#include "../common/subprocess.h"
#include "../common/csv.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using bnlab::testing_csv::SplitCsv;
using bnlab::testing_subprocess::Lines;
using bnlab::testing_subprocess::ReadFile;
using bnlab::testing_subprocess::Result;
using bnlab::testing_subprocess::RunBnlab;
using bnlab::testing_subprocess::TempPath;

// The mean train_loss of a column's rows [first, last) in a `bnlab train --csv` file.
double MeanLoss(const std::vector<std::string>& lines, const std::string& net, long first, long last) {
  double sum = 0.0;
  long count = 0;
  for (std::size_t row = 1; row < lines.size(); ++row) {
    const std::vector<std::string> cells = SplitCsv(lines[row]);
    const long step = std::stol(cells[0]);
    if (cells[1] != net || step < first || step >= last) continue;
    sum += std::stod(cells[2]);
    ++count;
  }
  return count > 0 ? sum / static_cast<double>(count) : 0.0;
}

TEST(TrainCommand, LayerNormLearnsAtBatchOneWhereBnDoesNot) {
  const std::string csv_path = TempPath("train-layernorm.csv");
  const Result result = RunBnlab({"train", "--dataset", "blobs", "--left", "bn", "--right", "layernorm", "--batch", "1",
                                  "--steps", "200", "--json", "--quiet", "--csv", csv_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["config"]["left"], "bn");
  EXPECT_EQ(json["config"]["right"], "layernorm");
  EXPECT_EQ(json["bn"]["column"], "left");
  EXPECT_EQ(json["bn"]["variant"], "bn");
  EXPECT_EQ(json["layernorm"]["column"], "right");
  EXPECT_EQ(json["layernorm"]["variant"], "layernorm");
  EXPECT_EQ(json["layernorm"]["title"], "LayerNorm");
  const std::vector<std::string> lines = Lines(ReadFile(csv_path));
  std::remove(csv_path.c_str());
  ASSERT_EQ(lines.size(), 401u);
  EXPECT_EQ(SplitCsv(lines[1])[1], "bn");
  EXPECT_EQ(SplitCsv(lines[2])[1], "layernorm");
  // LayerNorm: the last 100 steps' loss well below the first 20 steps' (about log 3 at the start).
  const double ln_start = MeanLoss(lines, "layernorm", 1, 21), ln_end = MeanLoss(lines, "layernorm", 101, 201);
  EXPECT_LT(ln_end, 0.6 * ln_start) << ln_start << " -> " << ln_end;
  EXPECT_DOUBLE_EQ(json["layernorm"]["train_loss"].get<double>(), json["layernorm"]["train_loss"].get<double>());
  EXPECT_LT(json["layernorm"]["train_loss"].get<double>(), 0.6 * ln_start);
  EXPECT_GT(json["layernorm"]["test_acc"].get<double>(), 0.9);
  // BN at batch 1 outputs β in every unit: no better than chance.
  EXPECT_GT(MeanLoss(lines, "bn", 101, 201), std::log(3.0) * 0.9);
  EXPECT_LT(json["bn"]["test_acc"].get<double>(), 0.5);
}

TEST(TrainCommand, BnAgainstRenorm) {
  const std::string csv_path = TempPath("train-renorm.csv");
  const Result result = RunBnlab({"train", "--dataset", "spiral", "--left", "bn", "--right", "renorm", "--batch", "8",
                                  "--steps", "60", "--eval-every", "30", "--probe-every", "30", "--csv", csv_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The text summary names each column by its variant.
  EXPECT_NE(result.out.find("\nbn "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\nrenorm "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("renorm = Batch Renorm (right column)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("renorm test acc with batch statistics"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find(" renorm: loss "), std::string::npos) << result.err;
  const std::vector<std::string> lines = Lines(ReadFile(csv_path));
  std::remove(csv_path.c_str());
  ASSERT_EQ(lines.size(), 121u);
  // The statistics columns belong to the right column (renorm), on its probe and eval rows.
  for (std::size_t row = 1; row < lines.size(); ++row) {
    const std::vector<std::string> cells = SplitCsv(lines[row]);
    ASSERT_EQ(cells.size(), 37u) << lines[row];
    const long step = std::stol(cells[0]);
    EXPECT_EQ(cells[1], row % 2 == 1 ? "bn" : "renorm");
    const bool figures = cells[1] == "renorm" && step % 30 == 0;
    EXPECT_EQ(cells[20].empty(), !figures) << lines[row];  // running_mean_l1
    EXPECT_EQ(cells[26].empty(), !figures) << lines[row];  // population_mean_l1
  }
}

}  // namespace
