// Everything that defines a twin-training run. The same names appear as command-line
// flags and scene-file keys (see src/settings/settings.h).
#pragma once

#include "engine/dataset.h"
#include "engine/layers.h"
#include "engine/limits.h"
#include "engine/saturation.h"
#include "engine/variant.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bnlab {

enum class Placement { kBefore, kAfter };  // BN before (paper) or after the activation
enum class InitKind { kGaussian, kXavier };
enum class EvalStats { kRunning, kPopulation };  // which μ, σ² BN uses in eval mode

struct NetConfig {
  NormKind norm{};  // NoNorm; ColumnNetConfig (variant.h) sets it per column
  int input_size = 784;
  int num_classes = 10;
  std::vector<int> hidden = {100, 100, 100};

  ActivationKind activation = ActivationKind::kSigmoid;
  Placement placement = Placement::kBefore;  // where any normalization sits, not only BN
  InitKind init = InitKind::kGaussian;
  double init_scale = 0.1;      // Gaussian: σ of N(0, σ²); Xavier: a gain on √(2/(fan_in+fan_out))
  bool bias_before_bn = false;  // redundant under BN (its gradient is exactly 0); on to show that
  double bn_momentum = 0.1;     // weight of the newest batch in BN's (and renorm's) running statistics
  double bn_eps = 1e-5;         // ε of every normalization
  int ghost_group = 0;          // > 0: ghost BN, statistics over groups of this many samples of a batch
  double renorm_r_max = 3.0;    // kRenorm: r = clip(σ_B/σ, 1/r_max, r_max)
  double renorm_d_max = 5.0;    // kRenorm: d = clip((μ_B − μ)/σ, −d_max, d_max)
};

// The same net with another normalization (the classic twins: KindOf<NoNorm>() and KindOf<BatchNorm>()).
inline NetConfig WithNorm(NetConfig config, NormKind norm) {
  config.norm = norm;
  return config;
}

struct OptimizerConfig {
  double learning_rate = 0.1;
  double momentum = 0.0;      // SGD momentum (PyTorch convention: v = μv + g, w −= lr·v)
  double weight_decay = 0.0;  // L2 on the Linear weights W
};

struct DataConfig {
  std::string name = "fashion";          // fashion | spiral | circles | moons | xor | blobs
  std::string dir = kDefaultFashionDir;  // Fashion-MNIST IDX directory
  bool standardize = false;              // Fashion-MNIST: standardize pixels instead of [0,1]
  int synthetic_train = 2000;
  int synthetic_test = 1000;
  double synthetic_noise = 0.1;
  int synthetic_classes = 3;  // spiral and blobs
};

struct TrainConfig {
  DataConfig data;
  NetConfig net;               // shared by both columns; ColumnNetConfig (variant.h) makes each column's
  Variant left{};              // the column of NetId::kLeft: "none", Variants()'s first row
  Variant right = Variant{1};  // the column of NetId::kRight: "bn", the next (a test checks both)
  int ghost_group = 16;        // the ghost-bn variant's statistics group (≤ batch); other variants ignore it
  OptimizerConfig optimizer;
  int batch_size = 60;
  long steps = 5000;
  int eval_every = 1000;  // steps between test-set evaluations (eval mode)
  int probe_every = 100;  // steps between probes (histograms, percentiles, gradient norms)
  int probe_unit = 0;     // the unit whose z percentiles are tracked (paper Fig. 1 b,c)
  EvalStats eval_stats = EvalStats::kRunning;
  std::uint64_t seed = 1;
};

// The same data: the same set, files and options (what a new config must match to reuse it).
bool SameData(const DataConfig& a, const DataConfig& b);

// Loads or generates the dataset the config names. Throws DataError (files) or
// std::invalid_argument (bad options); `control` reports and stops a Fashion-MNIST load
// (LoadCancelled).
Dataset LoadDataset(const DataConfig& data, std::uint64_t seed, const LoadControl& control = {});

const char* ActivationName(ActivationKind kind);
const char* PlacementName(Placement placement);
const char* InitName(InitKind init);
const char* EvalStatsName(EvalStats stats);
bool ParseActivation(const std::string& name, ActivationKind* kind);
bool ParsePlacement(const std::string& name, Placement* placement);
bool ParseInit(const std::string& name, InitKind* init);
bool ParseEvalStats(const std::string& name, EvalStats* stats);
// Every name each of them takes, in table order (the settings' choices, the GUI's boxes).
std::vector<std::string> ActivationNames();
std::vector<std::string> PlacementNames();
std::vector<std::string> InitNames();
std::vector<std::string> EvalStatsNames();

}  // namespace bnlab
