#include "engine/config.h"

#include <cmath>

namespace bnlab {

Dataset LoadDataset(const DataConfig& data, std::uint64_t seed) {
  if (data.name == "fashion") return LoadFashionMnist(data.dir, data.standardize);
  SyntheticOptions options;
  if (!ParseSyntheticKind(data.name, &options.kind)) {
    throw std::invalid_argument("unknown dataset '" + data.name +
                                "' (expected fashion, spiral, circles, moons, xor or blobs)");
  }
  options.train_size = data.synthetic_train;
  options.test_size = data.synthetic_test;
  options.noise = data.synthetic_noise;
  options.classes = data.synthetic_classes;
  options.seed = seed;
  return MakeSynthetic(options);
}

const char* ActivationName(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::kSigmoid: return "sigmoid";
    case ActivationKind::kTanh: return "tanh";
    case ActivationKind::kRelu: return "relu";
  }
  return "?";
}
const char* PlacementName(Placement placement) {
  return placement == Placement::kBefore ? "before" : "after";
}
const char* InitName(InitKind init) { return init == InitKind::kGaussian ? "gaussian" : "xavier"; }
const char* EvalStatsName(EvalStats stats) {
  return stats == EvalStats::kRunning ? "running" : "population";
}

bool ParseActivation(const std::string& name, ActivationKind* kind) {
  if (name == "sigmoid") *kind = ActivationKind::kSigmoid;
  else if (name == "tanh") *kind = ActivationKind::kTanh;
  else if (name == "relu") *kind = ActivationKind::kRelu;
  else return false;
  return true;
}
bool ParsePlacement(const std::string& name, Placement* placement) {
  if (name == "before") *placement = Placement::kBefore;
  else if (name == "after") *placement = Placement::kAfter;
  else return false;
  return true;
}
bool ParseInit(const std::string& name, InitKind* init) {
  if (name == "gaussian") *init = InitKind::kGaussian;
  else if (name == "xavier") *init = InitKind::kXavier;
  else return false;
  return true;
}
bool ParseEvalStats(const std::string& name, EvalStats* stats) {
  if (name == "running") *stats = EvalStats::kRunning;
  else if (name == "population") *stats = EvalStats::kPopulation;
  else return false;
  return true;
}

bool IsSaturated(ActivationKind kind, double z) {
  switch (kind) {
    case ActivationKind::kSigmoid: return std::abs(z) > 4.0;
    case ActivationKind::kTanh: return std::abs(z) > 2.0;
    case ActivationKind::kRelu: return z <= 0.0;
  }
  return false;
}

}  // namespace bnlab
