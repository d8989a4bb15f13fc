#include "engine/memory_estimate.h"

#include "engine/config.h"
#include "engine/network.h"
#include "engine/types.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace bnlab {
namespace {

using Bytes = std::uint64_t;

constexpr Bytes kScalar = sizeof(Scalar);
// The trainer evaluates the test set in chunks of kMaxEvalChunk columns and probes about 256
// samples in whole groups of the batch size, i.e. fewer than 256 + m (trainer.cpp).
constexpr Bytes kEvalColumns = kMaxEvalChunk;
constexpr Bytes kProbeSamples = 256;
// Per normalization unit: the SGD momentum of γ and β (the rest is the kind's NormFootprint).
constexpr Bytes kNormMomentumVectors = 2;
// Per hidden layer and sample in a training pass: z, pre, act, out, and the three gradients
// (LayerBuffers in network.h); BN adds its cached x̂.
constexpr Bytes kTrainBuffers = 7;
// Per hidden layer and sample in an inference pass: z, pre, act, out.
constexpr Bytes kInferBuffers = 4;

// One network's share; `norm` adds its normalization layers' vectors and caches.
void AddNetwork(const TrainConfig& config, const DataShape& data, NormKind norm, MemoryEstimate* estimate) {
  const NormFootprint footprint = FootprintOf(norm);
  const Bytes m = static_cast<Bytes>(config.batch_size);
  const Bytes eval_columns = std::max(kEvalColumns, kProbeSamples + m);
  Bytes in = static_cast<Bytes>(data.features);
  Bytes widest = 0;
  for (const int width : config.net.hidden) {
    const Bytes n = static_cast<Bytes>(width);
    widest = std::max(widest, n);
    estimate->parameters += kScalar * (2 * in * n + 2 * n);  // W, dW, b, db
    estimate->optimizer += kScalar * (in * n + n);
    estimate->training += kScalar * kTrainBuffers * n * m;
    estimate->evaluation += kScalar * (kInferBuffers * n * eval_columns + n * m);  // + one group's BN output
    if (norm != KindOf<NoNorm>()) {
      estimate->parameters += kScalar * static_cast<Bytes>(footprint.unit_vectors) * n;
      estimate->optimizer += kScalar * kNormMomentumVectors * n;
      estimate->training += kScalar * (static_cast<Bytes>(footprint.train_buffers) * n * m +
                                       static_cast<Bytes>(footprint.train_sample_values) * m);
      estimate->evaluation += kScalar * static_cast<Bytes>(footprint.eval_buffers) * n * eval_columns;
    }
    in = n;
  }
  const Bytes classes = static_cast<Bytes>(data.classes);
  estimate->parameters += kScalar * (2 * in * classes + 2 * classes);
  estimate->optimizer += kScalar * (in * classes + classes);
  estimate->training += kScalar * (3 * classes * m + 2 * m);  // logits, their gradient, softmax
  estimate->evaluation += kScalar * (2 * classes * eval_columns + 2 * eval_columns);
  // A test chunk's samples read as floats (the workspace's input).
  estimate->evaluation += kScalar * static_cast<Bytes>(data.features) * eval_columns;
  // Population statistics: one pass over the whole training set, three layer-sized matrices,
  // its input read as floats a chunk at a time.
  if (UsesBatchStatistics(norm) && config.eval_stats == EvalStats::kPopulation) {
    estimate->evaluation += kScalar * 3 * widest * static_cast<Bytes>(data.train_size) +
                            kScalar * static_cast<Bytes>(data.features) * kPopulationInputChunk;
  }
}

// A limit from a file holding a number of bytes or "max".
Bytes ReadLimit(const char* path) {
  std::ifstream file(path);
  Bytes limit = 0;
  if (file >> limit) return limit;
  return 0;
}

}  // namespace

DataShape ExpectedDataShape(const TrainConfig& config) {
  DataShape shape;
  if (config.data.name == "fashion") {
    shape.features = kFashionFeatures;
    shape.classes = kFashionClasses;
    shape.train_size = kFashionTrainSize;
    shape.test_size = kFashionTestSize;
    shape.value_bytes = kFashionValueBytes;
    return shape;
  }
  SyntheticKind kind = SyntheticKind::kSpiral;
  ParseSyntheticKind(config.data.name, &kind);
  shape.features = 2;
  shape.classes = kind == SyntheticKind::kSpiral || kind == SyntheticKind::kBlobs ? config.data.synthetic_classes : 2;
  shape.train_size = config.data.synthetic_train;
  shape.test_size = config.data.synthetic_test;
  shape.value_bytes = sizeof(Scalar);
  return shape;
}

DataShape ShapeOf(const Dataset& dataset) {
  return DataShape{dataset.features(), dataset.num_classes, dataset.train_size(), dataset.test_size(),
                   dataset.train_x.value_bytes()};
}

MemoryEstimate EstimateMemory(const TrainConfig& config, const DataShape& data) {
  MemoryEstimate estimate;
  for (const Variant column : {config.left, config.right}) AddNetwork(config, data, InfoOf(column).norm, &estimate);
  const Bytes features = static_cast<Bytes>(data.features);
  const Bytes samples = static_cast<Bytes>(data.train_size + data.test_size);
  const Bytes m = static_cast<Bytes>(config.batch_size);
  estimate.data = samples * (features * static_cast<Bytes>(data.value_bytes) + sizeof(Label)) +
                  2 * features * kScalar * m +                // the mini-batch copy and the next one, gathered ahead
                  features * kScalar * (kProbeSamples + m) +  // the probe samples
                  2 * sizeof(int) * static_cast<Bytes>(data.train_size);  // epoch and probe orders
  return estimate;
}

Bytes MachineMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  Bytes bytes = pages > 0 && page_size > 0 ? static_cast<Bytes>(pages) * static_cast<Bytes>(page_size) : 0;
  const auto lower_to = [&bytes](Bytes limit) {
    if (limit > 0) bytes = bytes == 0 ? limit : std::min(bytes, limit);
  };
  lower_to(ReadLimit("/sys/fs/cgroup/memory.max"));  // cgroup v2: a container or a systemd slice
  rlimit address_space{};
  if (getrlimit(RLIMIT_AS, &address_space) == 0 && address_space.rlim_cur != RLIM_INFINITY) {
    lower_to(static_cast<Bytes>(address_space.rlim_cur));
  }
  return bytes;
}

Bytes MemoryBudgetBytes() {
  const Bytes machine = MachineMemoryBytes();
  return machine == 0 ? std::numeric_limits<Bytes>::max() : machine / 2;
}

ResidentMemory ParseResidentMemory(const std::string& status) {
  ResidentMemory memory;
  std::istringstream lines(status);
  std::string line;
  while (std::getline(lines, line)) {
    // "VmRSS:\t  123456 kB": the kernel's kB are KiB.
    std::istringstream fields(line);
    std::string key;
    std::string unit;
    Bytes kib = 0;
    if (!(fields >> key >> kib >> unit) || unit != "kB") continue;
    if (key == "VmRSS:") memory.current = kib * 1024;
    if (key == "VmHWM:") memory.peak = kib * 1024;
  }
  return memory;
}

ResidentMemory ProcessResidentMemory() {
  std::ifstream file("/proc/self/status");
  if (!file) return ResidentMemory{};
  const std::string status((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return ParseResidentMemory(status);
}

std::string ResidentMemoryText(const ResidentMemory& memory) {
  if (memory.current == 0) return "";
  return "resident memory " + FormatBytes(memory.current) + " (peak " + FormatBytes(memory.peak) + ")";
}

std::string FormatBytes(Bytes bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " bytes";
  const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  double value = static_cast<double>(bytes) / 1000.0;
  std::size_t unit = 0;
  while (value >= 999.5 && unit + 1 < std::size(units)) {
    value /= 1000.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, value < 9.95 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  return text;
}

}  // namespace bnlab
