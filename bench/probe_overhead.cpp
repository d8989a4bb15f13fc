// Training throughput of `bnlab train` at the default cadence (TrainConfig's probe_every
// and eval_every) against bare stepping. Target: probes cost at most ~10%.
#include "bench_data.h"
#include "engine/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace {

double StepsPerSecond(const std::shared_ptr<const bnlab::Dataset>& data, bool with_probes, bool with_eval) {
  bnlab::TrainConfig config;
  bnlab::FitNetToData(*data, &config.net);
  bnlab::TwinTrainer trainer(data, config);
  constexpr long kSteps = 3000;
  const auto start = std::chrono::steady_clock::now();
  for (long step = 1; step <= kSteps; ++step) {
    trainer.Step();
    if (with_probes && step % config.probe_every == 0) {
      for (bnlab::NetId id : bnlab::kNets) trainer.Probe(id);
    }
    if (with_eval && step % config.eval_every == 0) {
      for (bnlab::NetId id : bnlab::kNets) trainer.Evaluate(id);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(kSteps) / seconds;
}

}  // namespace

int main() {
  const auto data = bnlab::BenchData();
  std::printf("dataset %s, 3x100 sigmoid twins, batch 60\n", data->name.c_str());
  // Best of three, interleaved, so a busy moment on the machine hits all three alike.
  double bare = 0.0, probes = 0.0, all = 0.0;
  for (int round = 0; round < 3; ++round) {
    bare = std::max(bare, StepsPerSecond(data, false, false));
    probes = std::max(probes, StepsPerSecond(data, true, false));
    all = std::max(all, StepsPerSecond(data, true, true));
  }
  const bnlab::TrainConfig defaults;
  std::printf("bare stepping              %8.0f steps/s\n", bare);
  std::printf("+ probes every %-4d         %8.0f steps/s  (%.1f%% slower)\n", defaults.probe_every, probes,
              100.0 * (1.0 - probes / bare));
  std::printf("+ test eval every %-5d    %8.0f steps/s  (%.1f%% slower than bare)\n", defaults.eval_every, all,
              100.0 * (1.0 - all / bare));
  return 0;
}
