// bnlab noise --batch-sweep: does BN work best at moderate batch sizes? The twins at each batch
// size on the same number of training samples, under the same and a scaled learning rate, over
// seeds (engine/batch_sweep.h); the table and verdict on stdout, --csv and --json as
// report/batch_sweep_report.h describes.
#pragma once

#include "cli/heartbeat.h"
#include "engine/batch_sweep.h"
#include "engine/config.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace bnlab {

struct BatchSweepFlags {
  bool enabled = false;
  CLI::Option* sizes_option = nullptr;  // given or not: an empty list is an error, no list the default
  std::vector<std::string> sizes;       // as given (checked here, so that an empty list is named); empty: the default
  std::vector<std::string> rules = {"same", "scaled"};
  int subset = BatchSweepOptions{}.train_subset;
  int epochs = BatchSweepOptions{}.epochs;
  int seeds = BatchSweepOptions{}.seeds;
  double lr_cap = BatchSweepOptions{}.lr_cap;
};

void AddBatchSweepFlags(CLI::App& app, BatchSweepFlags* flags);

// The options the flags and the shared settings give (η₁ = --lr / --batch). Throws
// std::invalid_argument, naming the flag, for a rule not known or options the sweep cannot run.
BatchSweepOptions BatchSweepOptionsFrom(const BatchSweepFlags& flags, const TrainConfig& config, int threads,
                                        int train_size);

struct BatchSweepOutput {
  std::string text;  // the table or the JSON, for stdout
  std::string csv;
};

// Runs it, with a progress line per run on stderr unless `quiet`.
BatchSweepOutput RunBatchSweepCommand(const BatchSweepOptions& options, const TrainConfig& config, const Dataset& data,
                                      bool json, bool quiet, Heartbeat& heartbeat);

}  // namespace bnlab
