// What `bnlab noise` prints: the table on stdout, the CSV (--csv) and the JSON (--json), for the
// batch-size sweep and for the ghost-BN regularization experiment (--regularization).
//
// Sweep CSV, one row per (batch size, layer of the column with batch statistics):
//   batch_size,layer,std_batch_mean,std_batch_mean_theory,std_batch_var,std_batch_var_theory,
//   sample_noise,grad_cosine_plain,grad_cosine_bn,grad_rel_var_plain,grad_rel_var_bn,
//   std_batch_mean_q25,std_batch_mean_q75,std_batch_var_q25,std_batch_var_q75,
//   mean_batch_var,mean_batch_var_theory,sample_noise_q25,sample_noise_q75
// (the columns are documented in the README; the gradient columns repeat on every layer's row;
// they are named by the columns' variant labels, plain and bn by default: grad_cosine_layernorm).
//
// Regularization CSV, one row per net setting:
//   net,ghost_group,seeds,train_acc_mean,train_acc_std,test_acc_mean,test_acc_std,gap_mean,gap_std
#pragma once

#include "engine/config.h"
#include "engine/ghost_experiment.h"
#include "engine/noise.h"

#include <string>
#include <vector>

namespace bnlab {

// The setting a sweep was measured at, for the headers of every output.
struct NoiseRun {
  const TrainConfig* config = nullptr;
  std::string dataset;
  int train_size = 0;
  long trained_steps = 0;
  std::vector<int> layers;           // 0-based BN layers to report
  NetId statistics = NetId::kRight;  // the column whose batch statistics were measured (NoiseLab)
  NoiseOptions options;
  double seconds = 0.0;  // the sweep's wall time
};

std::string NoiseTable(const NoiseRun& run, const std::vector<NoisePoint>& points, const NoiseSlopes& slopes);
std::string NoiseCsv(const NoiseRun& run, const std::vector<NoisePoint>& points);
std::string NoiseJson(const NoiseRun& run, const std::vector<NoisePoint>& points, const NoiseSlopes& slopes);

std::string GhostTable(const GhostExperimentOptions& options, const GhostExperimentResult& result);
std::string GhostCsv(const GhostExperimentResult& result);
std::string GhostJson(const TrainConfig& config, const GhostExperimentOptions& options,
                      const GhostExperimentResult& result);

}  // namespace bnlab
