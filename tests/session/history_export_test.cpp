// "Export CSV": a snapshot's histories written as `bnlab train --csv` writes a run, checked on
// a hand-built snapshot (which rows, which cells, lr and batch, divergence, merged points)
// and on a real session.
#include "session/history_export.h"

#include "report/train_csv.h"
#include "session/session.h"

#include "../common/csv.h"
#include "../common/spiral_session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bnlab {
namespace {

using testing_csv::SplitCsv;

std::string TempCsv(const std::string& name) { return testing::TempDir() + "bnlab_export_" + name + ".csv"; }

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

// The header TrainCsv writes for `layers` hidden layers.
std::string TrainCsvHeader(int layers) {
  const std::string path = TempCsv("header");
  TrainCsv(path, layers).Close();
  const std::vector<std::string> lines = ReadLines(path);
  std::remove(path.c_str());
  return lines.empty() ? "" : lines[0];
}

// The exported file as rows keyed by (step, net), each a map from column name to cell.
struct Exported {
  std::vector<std::string> header;
  std::vector<std::pair<long, std::string>> order;  // (step, net) of each row, as written
  std::map<std::pair<long, std::string>, std::map<std::string, std::string>> rows;

  const std::string& Cell(long step, const std::string& net, const std::string& column) const {
    return rows.at({step, net}).at(column);
  }
};

Exported Export(const Snapshot& snapshot, const std::string& name) {
  const std::string path = TempCsv(name);
  ExportHistoriesCsv(snapshot, path);
  const std::vector<std::string> lines = ReadLines(path);
  std::remove(path.c_str());
  Exported exported;
  EXPECT_FALSE(lines.empty());
  if (lines.empty()) return exported;
  exported.header = SplitCsv(lines[0]);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = SplitCsv(lines[i]);
    EXPECT_EQ(cells.size(), exported.header.size()) << lines[i];
    if (cells.size() != exported.header.size()) continue;
    const std::pair<long, std::string> key = {std::stol(cells[0]), cells[1]};
    EXPECT_EQ(exported.rows.count(key), 0u) << "two rows for step " << key.first << " " << key.second;
    exported.order.push_back(key);
    for (std::size_t c = 0; c < cells.size(); ++c) exported.rows[key][exported.header[c]] = cells[c];
  }
  return exported;
}

double Number(const std::string& cell) { return std::stod(cell); }

// Two hidden layers; every net trains at steps 1..10, is probed at 5 and 10 and tested at 10.
// The learning rate and batch change after step 6. The BN net has the Train vs eval figures
// at step 10.
Snapshot HandBuilt() {
  Snapshot snapshot;
  snapshot.config.net.hidden = {8, 8};
  snapshot.changes = {ChangeMarker{0, "", 0.5, 20}, ChangeMarker{6, "lr 0.5 → 0.1, batch 20 → 4", 0.1, 4}};
  for (NetId id : kNets) {
    NetView& view = snapshot.nets[static_cast<std::size_t>(id)];
    const double offset = id == NetId::kRight ? 100.0 : 0.0;
    for (int step = 1; step <= 10; ++step) {
      view.train_loss.Add(step, offset + step);
      view.batch_accuracy.Add(step, 0.5);
    }
    view.layers.resize(2);
    for (const int step : {5, 10}) {
      for (int l = 0; l < 2; ++l) {
        view.layers[static_cast<std::size_t>(l)].saturated.Add(step, 0.25 * (l + 1));
        view.layers[static_cast<std::size_t>(l)].grad_norm.Add(step, 2.0 + l);
        view.layers[static_cast<std::size_t>(l)].update_ratio.Add(step, 0.001);
      }
    }
    view.test_loss.Add(10, offset + 0.75);
    view.test_accuracy.Add(10, 0.875);
  }
  TestTimeView& test_time = snapshot.test_time;
  test_time.test_acc_batch.Add(10, 0.5);
  test_time.test_acc_running.Add(10, 0.875);
  test_time.test_acc_population.Add(10, 0.625);
  test_time.population_mean.resize(2);
  test_time.population_var.resize(2);
  for (int l = 0; l < 2; ++l) {
    test_time.population_mean[static_cast<std::size_t>(l)].Add(10, 0.125 * l);
    test_time.population_var[static_cast<std::size_t>(l)].Add(10, 1.5);
  }
  return snapshot;
}

TEST(HistoryExport, HeaderIsTrainCsvsForTheSnapshotsLayers) {
  const std::string path = TempCsv("header-check");
  ExportHistoriesCsv(HandBuilt(), path);
  const std::vector<std::string> lines = ReadLines(path);
  std::remove(path.c_str());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], TrainCsvHeader(2));
}

TEST(HistoryExport, OneRowPerStepAndNetWithAPointInAnyHistoryInStepOrder) {
  const Exported exported = Export(HandBuilt(), "rows");
  std::vector<std::pair<long, std::string>> expected;
  for (long step = 1; step <= 10; ++step) {
    expected.push_back({step, "plain"});
    expected.push_back({step, "bn"});
  }
  EXPECT_EQ(exported.order, expected);
}

TEST(HistoryExport, CellsAreFilledExactlyWhereTheirHistoryHasAPoint) {
  const Exported exported = Export(HandBuilt(), "cells");
  for (const auto& [key, row] : exported.rows) {
    const auto& [step, net] = key;
    const bool probe_step = step == 5 || step == 10, test_step = step == 10, bn = net == "bn";
    const std::string where = "step " + std::to_string(step) + " " + net;
    EXPECT_EQ(Number(row.at("train_loss")), (bn ? 100.0 : 0.0) + static_cast<double>(step)) << where;
    EXPECT_EQ(row.at("batch_acc"), "0.5") << where;
    EXPECT_EQ(row.at("test_loss").empty(), !test_step) << where;
    EXPECT_EQ(row.at("test_acc").empty(), !test_step) << where;
    for (const char* column : {"saturated_l", "grad_norm_l", "update_ratio_l"}) {
      for (int l = 1; l <= 2; ++l)
        EXPECT_EQ(row.at(column + std::to_string(l)).empty(), !probe_step) << where << column << l;
    }
    for (const char* column : {"test_acc_batch", "test_acc_running", "test_acc_population"}) {
      EXPECT_EQ(row.at(column).empty(), !test_step) << where << " " << column;
    }
    for (int l = 1; l <= 2; ++l) {
      // The GUI keeps no history of the running statistics.
      EXPECT_EQ(row.at("running_mean_l" + std::to_string(l)), "") << where;
      EXPECT_EQ(row.at("running_var_l" + std::to_string(l)), "") << where;
      EXPECT_EQ(row.at("population_mean_l" + std::to_string(l)).empty(), !(bn && test_step)) << where;
      EXPECT_EQ(row.at("population_var_l" + std::to_string(l)).empty(), !(bn && test_step)) << where;
    }
  }
  EXPECT_EQ(exported.Cell(10, "plain", "test_loss"), "0.75");
  EXPECT_EQ(exported.Cell(10, "bn", "test_loss"), "100.75");
  EXPECT_EQ(exported.Cell(5, "bn", "saturated_l2"), "0.5");
  EXPECT_EQ(exported.Cell(10, "plain", "grad_norm_l2"), "3");
  // The plain net has nothing to normalize: its three test accuracies are its test_acc.
  EXPECT_EQ(exported.Cell(10, "plain", "test_acc_batch"), "0.875");
  EXPECT_EQ(exported.Cell(10, "plain", "test_acc_population"), "0.875");
  // The BN net's come from the Train vs eval view.
  EXPECT_EQ(exported.Cell(10, "bn", "test_acc_batch"), "0.5");
  EXPECT_EQ(exported.Cell(10, "bn", "test_acc_running"), "0.875");
  EXPECT_EQ(exported.Cell(10, "bn", "test_acc_population"), "0.625");
  EXPECT_EQ(exported.Cell(10, "bn", "population_mean_l2"), "0.125");
  EXPECT_EQ(exported.Cell(10, "bn", "population_var_l1"), "1.5");
}

TEST(HistoryExport, LrAndBatchAreThoseEachStepTrainedWith) {
  const Exported exported = Export(HandBuilt(), "changes");
  for (const auto& [key, row] : exported.rows) {
    // The change was made after step 6: step 7 is the first to train with it.
    const bool changed = key.first > 6;
    EXPECT_EQ(row.at("lr"), changed ? "0.1" : "0.5") << key.first;
    EXPECT_EQ(row.at("batch"), changed ? "4" : "20") << key.first;
  }
}

TEST(HistoryExport, AStepWithOnlyAProbeHasEmptyTrainingCells) {
  Snapshot snapshot = HandBuilt();
  for (NetView& view : snapshot.nets) {
    for (LayerHistory& layer : view.layers) {
      History saturated;
      saturated.Add(0, 0.75);  // the untrained nets, probed before the first step
      for (std::size_t i = 0; i < layer.saturated.size(); ++i)
        saturated.Add(layer.saturated.x()[i], layer.saturated.y()[i]);
      layer.saturated = saturated;
    }
  }
  const Exported exported = Export(snapshot, "step0");
  ASSERT_GE(exported.order.size(), 2u);
  EXPECT_EQ(exported.order[0], (std::pair<long, std::string>{0, "plain"}));
  EXPECT_EQ(exported.order[1], (std::pair<long, std::string>{0, "bn"}));
  for (const char* net : {"plain", "bn"}) {
    EXPECT_EQ(exported.Cell(0, net, "train_loss"), "");
    EXPECT_EQ(exported.Cell(0, net, "batch_acc"), "");
    EXPECT_EQ(exported.Cell(0, net, "saturated_l1"), "0.75");
    EXPECT_EQ(exported.Cell(0, net, "grad_norm_l1"), "");
    EXPECT_EQ(exported.Cell(0, net, "lr"), "0.5");
  }
}

TEST(HistoryExport, ADivergedNetsRowsEndWithItsNonFiniteLoss) {
  Snapshot snapshot = HandBuilt();
  NetView& bn = snapshot.nets[static_cast<std::size_t>(NetId::kRight)];
  bn.train_loss.Clear();
  for (int step = 1; step <= 7; ++step) bn.train_loss.Add(step, step == 7 ? std::nan("") : 1.0);
  bn.diverged = true;
  bn.diverged_at = 7;
  const Exported exported = Export(snapshot, "diverged");
  long last_bn = 0, last_plain = 0;
  for (const auto& [step, net] : exported.order) (net == "bn" ? last_bn : last_plain) = step;
  EXPECT_EQ(last_bn, 7);
  EXPECT_EQ(last_plain, 10);
  EXPECT_EQ(exported.Cell(7, "bn", "train_loss"), "nan");
  EXPECT_EQ(exported.rows.count({10, "bn"}), 0u);  // its probe and test at step 10 are dropped
}

TEST(HistoryExport, MergedHistoriesGiveTheirStoredPoints) {
  Snapshot snapshot;
  snapshot.changes = {ChangeMarker{0, "", 0.1, 60}};
  NetView& plain = snapshot.nets[static_cast<std::size_t>(NetId::kLeft)];
  plain.train_loss = History(4);
  plain.batch_accuracy = History(4);
  for (int step = 1; step <= 8; ++step) {
    plain.train_loss.Add(step, step);
    plain.batch_accuracy.Add(step, 0.5);
  }
  ASSERT_GT(plain.train_loss.stride(), 1u);
  const Exported exported = Export(snapshot, "merged");
  std::vector<long> steps;
  for (std::size_t i = 0; i < plain.train_loss.size(); ++i) {
    const long step = static_cast<long>(plain.train_loss.x()[i]);
    steps.push_back(step);
    // Each point: the newest sample's step, the mean of its samples.
    EXPECT_EQ(Number(exported.Cell(step, "plain", "train_loss")), plain.train_loss.y()[i]) << step;
  }
  std::vector<long> written;
  for (const auto& [step, net] : exported.order) written.push_back(step);
  EXPECT_EQ(written, steps);
  EXPECT_LT(written.size(), 8u);
}

TEST(HistoryExport, AnUnwritablePathIsNamed) {
  const std::string path = testing::TempDir() + "no-such-dir/histories.csv";
  try {
    ExportHistoriesCsv(HandBuilt(), path);
    FAIL() << "no error";
  } catch (const OutputError& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

TEST(HistoryExport, ARealSessionExportsFiniteParsableRows) {
  Session session(testing_session::SceneOf(testing_session::SpiralConfig()), /*start_paused=*/false);
  session.Send(testing_session::OnlyLab(&Labs::test_time));
  std::shared_ptr<const Snapshot> snapshot = session.Latest();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!(snapshot->step >= 200 && snapshot->net(NetId::kRight).has_test) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    snapshot = session.Latest();
  }
  ASSERT_GE(snapshot->step, 200);

  const Exported exported = Export(*snapshot, "session");
  EXPECT_EQ(exported.header, SplitCsv(TrainCsvHeader(2)));
  ASSERT_FALSE(exported.order.empty());
  long previous = -1;
  std::set<std::string> nets;
  int test_rows = 0;
  for (const auto& [step, net] : exported.order) {
    EXPECT_GE(step, previous);
    EXPECT_LE(step, snapshot->step);
    previous = step;
    nets.insert(net);
    const std::map<std::string, std::string>& row = exported.rows.at({step, net});
    for (const auto& [column, cell] : row) {
      if (column == "net" || cell.empty()) continue;
      std::size_t used = 0;
      const double value = std::stod(cell, &used);
      EXPECT_EQ(used, cell.size()) << column << " '" << cell << "'";
      if (column.find("loss") != std::string::npos) {
        EXPECT_TRUE(std::isfinite(value)) << column << " at " << step;
      }
    }
    // Unmerged, every step after the first has its training figures (merged, a probe's step
    // may fall between two stored training points).
    const bool unmerged = snapshot->net(net == "bn" ? NetId::kRight : NetId::kLeft).train_loss.stride() == 1;
    if (step > 0 && unmerged) {
      EXPECT_FALSE(row.at("train_loss").empty()) << "step " << step << " " << net;
    }
    if (!row.at("test_loss").empty()) ++test_rows;
  }
  EXPECT_EQ(nets, (std::set<std::string>{"plain", "bn"}));
  EXPECT_GE(test_rows, 2);
}

}  // namespace
}  // namespace bnlab
