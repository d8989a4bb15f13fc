// How much memory a twin-training run needs, estimated from its configuration before
// anything is allocated, and how much this machine can give one run. A configuration above
// the budget is refused with the figures (settings/settings.cpp), so 16 layers of 4096 typed on
// a laptop is a message, not minutes of swapping.
#pragma once

#include "engine/types.h"

#include <cstdint>
#include <string>

namespace bnlab {

struct Dataset;
struct TrainConfig;

// The shape of the data a run trains on.
struct DataShape {
  int features = 0;
  int classes = 0;
  long train_size = 0;
  long test_size = 0;
  int value_bytes = sizeof(Scalar);  // one stored input value: a Fashion-MNIST pixel's byte, a synthetic float
};

// Bytes, both nets together (each column's variant counted: BN, LayerNorm and renorm caches
// differ), by what holds them.
struct MemoryEstimate {
  std::uint64_t parameters = 0;  // W, b, γ, β, normalization statistics, and their gradients
  std::uint64_t optimizer = 0;   // SGD momentum buffers (allocated whatever the momentum)
  std::uint64_t training = 0;    // one step's activations and gradients at the batch size
  std::uint64_t evaluation = 0;  // test-set chunks (and their samples as floats), probe samples,
                                 // the population-statistics pass
  std::uint64_t data = 0;        // training and test sets as stored, the mini-batch and probe copies

  std::uint64_t Total() const { return parameters + optimizer + training + evaluation + data; }
};

// What config.data will load: Fashion-MNIST's published sizes (files in another --data-dir
// are checked against the budget by the reader), or the synthetic-set settings.
DataShape ExpectedDataShape(const TrainConfig& config);
// The shape of data already loaded.
DataShape ShapeOf(const Dataset& dataset);

// The memory both networks, their workspaces and the data take during training. An upper
// estimate: every buffer a layer may use is counted, temporaries of Eigen's products are not.
MemoryEstimate EstimateMemory(const TrainConfig& config, const DataShape& data);

// This machine's memory: physical memory (sysconf), or the cgroup's memory.max or the
// address-space limit (ulimit -v) when smaller; 0 when it cannot be found.
std::uint64_t MachineMemoryBytes();

// What one run may take: half of MachineMemoryBytes(), leaving the rest to the system, the
// window and other programs; unlimited when the machine's memory is unknown.
std::uint64_t MemoryBudgetBytes();

// The memory this process holds in RAM now and at its peak, in bytes.
struct ResidentMemory {
  std::uint64_t current = 0;  // VmRSS
  std::uint64_t peak = 0;     // VmHWM
};

// From /proc/self/status; zeros where it cannot be read (not Linux).
ResidentMemory ProcessResidentMemory();
// From the text of a /proc/<pid>/status file ("VmRSS:	  123456 kB" lines); a missing
// line leaves its figure at 0.
ResidentMemory ParseResidentMemory(const std::string& status);
// "resident memory 112 MB (peak 131 MB)", or "" when unknown.
std::string ResidentMemoryText(const ResidentMemory& memory);

// "7.9 GB", "512 MB", "3 KB": one or two significant decimals, powers of 1000 as in
// system monitors.
std::string FormatBytes(std::uint64_t bytes);

}  // namespace bnlab
