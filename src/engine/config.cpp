#include "engine/config.h"

#include <cmath>

namespace bnlab {

bool SameData(const DataConfig& a, const DataConfig& b) {
  return a.name == b.name && a.dir == b.dir && a.standardize == b.standardize &&
         a.synthetic_train == b.synthetic_train && a.synthetic_test == b.synthetic_test &&
         a.synthetic_noise == b.synthetic_noise && a.synthetic_classes == b.synthetic_classes;
}

Dataset LoadDataset(const DataConfig& data, std::uint64_t seed, const LoadControl& control) {
  if (data.name == "fashion") return LoadFashionMnist(data.dir, data.standardize, MemoryBudgetBytes(), control);
  SyntheticOptions options;
  if (!ParseSyntheticKind(data.name, &options.kind)) {
    throw std::invalid_argument("unknown dataset '" + data.name + "' (expected " + DatasetNameList() + ")");
  }
  options.train_size = data.synthetic_train;
  options.test_size = data.synthetic_test;
  options.noise = data.synthetic_noise;
  options.classes = data.synthetic_classes;
  options.seed = seed;
  return MakeSynthetic(options);
}

namespace {

// A value of an enum and its name in flags and scene files.
template <typename Enum>
struct Named {
  Enum value;
  const char* name;
};
constexpr Named<Placement> kPlacements[] = {{Placement::kBefore, "before"}, {Placement::kAfter, "after"}};
constexpr Named<InitKind> kInits[] = {{InitKind::kGaussian, "gaussian"}, {InitKind::kXavier, "xavier"}};
constexpr Named<EvalStats> kEvalStats[] = {{EvalStats::kRunning, "running"}, {EvalStats::kPopulation, "population"}};

template <typename Enum, std::size_t N>
const char* NameIn(const Named<Enum> (&table)[N], Enum value) {
  for (const Named<Enum>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
bool ParseIn(const Named<Enum> (&table)[N], const std::string& name, Enum* value) {
  for (const Named<Enum>& entry : table) {
    if (name == entry.name) {
      *value = entry.value;
      return true;
    }
  }
  return false;
}

template <typename Enum, std::size_t N>
std::vector<std::string> NamesIn(const Named<Enum> (&table)[N]) {
  std::vector<std::string> names;
  for (const Named<Enum>& entry : table) names.emplace_back(entry.name);
  return names;
}

}  // namespace

const char* ActivationName(ActivationKind kind) { return InfoOf(kind).name; }
const char* PlacementName(Placement placement) { return NameIn(kPlacements, placement); }
const char* InitName(InitKind init) { return NameIn(kInits, init); }
const char* EvalStatsName(EvalStats stats) { return NameIn(kEvalStats, stats); }

bool ParseActivation(const std::string& name, ActivationKind* kind) {
  for (const ActivationInfo& info : kActivationInfo) {
    if (name == info.name) {
      *kind = info.kind;
      return true;
    }
  }
  return false;
}
bool ParsePlacement(const std::string& name, Placement* placement) { return ParseIn(kPlacements, name, placement); }
bool ParseInit(const std::string& name, InitKind* init) { return ParseIn(kInits, name, init); }
bool ParseEvalStats(const std::string& name, EvalStats* stats) { return ParseIn(kEvalStats, name, stats); }

std::vector<std::string> ActivationNames() {
  std::vector<std::string> names;
  for (const ActivationInfo& info : kActivationInfo) names.emplace_back(info.name);
  return names;
}
std::vector<std::string> PlacementNames() { return NamesIn(kPlacements); }
std::vector<std::string> InitNames() { return NamesIn(kInits); }
std::vector<std::string> EvalStatsNames() { return NamesIn(kEvalStats); }

}  // namespace bnlab
