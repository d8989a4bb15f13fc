// The long-format CSV that `bnlab train --csv OUT.csv` writes: one row per (step, net).
//
//   step,net,train_loss,batch_acc,test_loss,test_acc,lr,batch,
//   saturated_l1..saturated_lL,grad_norm_l1..grad_norm_lL,update_ratio_l1..update_ratio_lL
//
// step       1-based: the row describes the state after that many SGD steps
// net        the column's variant label (variant.h): plain, bn, bn-after, bn-bias, ghost-bn,
//            layernorm, renorm; with the default columns (--left none --right bn) plain | bn
// train_loss mean cross-entropy of the step's mini-batch, before the update
// batch_acc  share (0..1) of that mini-batch classified correctly
// test_*     eval-mode loss and accuracy (0..1) on the test set; empty except on eval steps
//            (every eval-every steps, and the last)
// lr, batch  the learning rate and mini-batch size used for the step
// *_lK       hidden layer K (1-based): saturated share of the activation inputs, ‖dW‖_F,
//            ‖ΔW‖_F/‖W‖_F; empty except on probe steps (every probe-every steps, and the last)
// test_acc_batch, test_acc_running, test_acc_population
//            test accuracy with BN (renorm) normalizing by test batches of the current size, by
//            the running statistics, by the population statistics (all three equal for a net
//            without batch statistics: plain, layernorm); eval steps only
// running_mean_lK, running_var_lK
//            the probe unit's running mean and (unbiased) variance in normalization layer K
//            (renorm: its running σ² − ε), on the rows of the column with batch statistics
//            (the right one when both have them; none when neither has), probe steps
// population_mean_lK, population_var_lK
//            its exact mean and variance over the training set; the same rows, eval steps
// landscape_loss_lo, landscape_loss_hi, grad_change_lo, grad_change_hi, smoothness
//            the loss landscape along the net's gradient (engine/landscape.h; Santurkar et al.
//            2018, Fig. 4) on a fixed batch of 64 training images, steps of 0.25-4 × lr: the
//            range of the loss, the range of the gradient's change, the effective smoothness;
//            probe steps (empty where every step on the grid gave a non-finite loss)
//
// A net that diverges (its loss turns NaN or infinite) gets one last row carrying that
// non-finite train_loss ("nan", "inf") and no rows after it; the other net's rows go on.
//
// The GUI's "Export CSV" writes these columns too, from its histories (session/history_export.h).
//
// Rows are built with to_chars into one string buffer and written in large chunks, so a run
// of thousands of steps costs a few milliseconds of formatting.
#pragma once

#include "engine/landscape.h"
#include "engine/probes.h"
#include "engine/trainer.h"
#include "settings/atomic_file.h"

#include <array>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bnlab {

// The output file cannot be opened or written. The message names the path.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TrainCsv {
 public:
  // Starts replacing `path` (settings/atomic_file.h: the old file stays until Close) and writes
  // the header for `num_layers` hidden layers. The `net` column names NetId::kLeft and
  // NetId::kRight by `net_labels` (ColumnLabel in trainer.h). Throws OutputError naming the
  // path when its folder does not take it.
  TrainCsv(const std::string& path, int num_layers,
           const std::array<std::string, 2>& net_labels = {NetName(NetId::kLeft), NetName(NetId::kRight)});
  ~TrainCsv();
  TrainCsv(const TrainCsv&) = delete;
  TrainCsv& operator=(const TrainCsv&) = delete;

  // One training step's figures; null pointers leave their columns empty.
  struct Row {
    long step = 0;
    NetId net = NetId::kLeft;
    const StepStats* stats = nullptr;
    const TestResult* test = nullptr;
    const TestModes* modes = nullptr;
    const NetProbe* probe = nullptr;
    // Per BN layer, the probe unit: running mean and variance (probe steps), population mean
    // and variance (eval steps).
    const std::vector<std::array<double, 2>>* running = nullptr;
    const std::vector<std::array<double, 2>>* population = nullptr;
    const LandscapePoint* landscape = nullptr;  // probe steps
    double learning_rate = 0.0;
    int batch_size = 0;
  };
  void WriteRow(const Row& row);

  // One row cell by cell, every figure optional (no value: an empty cell), for series that
  // have points at different steps (the GUI's histories, session/history_export.h). The
  // per-layer vectors are indexed by hidden layer; missing layers leave their cells empty.
  struct Cells {
    long step = 0;
    NetId net = NetId::kLeft;
    std::optional<double> train_loss, batch_acc, test_loss, test_acc;
    double learning_rate = 0.0;
    int batch_size = 0;
    std::vector<std::optional<double>> saturated, grad_norm, update_ratio;
    std::optional<double> test_acc_batch, test_acc_running, test_acc_population;
    std::vector<std::optional<double>> running_mean, running_var, population_mean, population_var;
    std::optional<double> landscape_loss_lo, landscape_loss_hi, grad_change_lo, grad_change_hi, smoothness;
  };
  void WriteCells(const Cells& cells);

  // Writes what is buffered and puts the file in place of the old one; throws OutputError on a
  // write error (disk full), leaving the old file. Without a Close (an error, an interrupted
  // run) the destructor leaves the old file and no part of the new one.
  void Close();

 private:
  void AppendNumber(double value);
  void AppendCell(const std::optional<double>& value);
  void AppendLayerCells(const std::vector<std::optional<double>>& values);
  void AppendInteger(long value);
  void Flush();

  std::unique_ptr<AtomicFile> file_;  // null once closed
  int num_layers_ = 0;
  std::array<std::string, 2> net_labels_;  // by NetId
  std::string buffer_;
  Cells row_cells_;  // WriteRow's, reused so that a row allocates nothing
};

}  // namespace bnlab
