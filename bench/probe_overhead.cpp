// Training throughput of `bnlab train` at the default cadence (TrainConfig's probe_every
// and eval_every) against bare stepping. Targets: probes cost at most ~10%; the loss landscape
// that `bnlab train --csv` adds at each probe (engine/landscape.h) at most ~10% more.
#include "bench_data.h"
#include "engine/landscape.h"
#include "engine/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace {

double StepsPerSecond(const std::shared_ptr<const bnlab::Dataset>& data, bool with_probes, bool with_eval,
                      bool with_landscape = false) {
  bnlab::TrainConfig config;
  bnlab::FitNetToData(*data, &config.net);
  bnlab::TwinTrainer trainer(data, config);
  bnlab::Matrix landscape_x;  // (784, 64)
  data->train_x.Columns(0, 64, &landscape_x);
  constexpr long kSteps = 3000;
  const auto start = std::chrono::steady_clock::now();
  for (long step = 1; step <= kSteps; ++step) {
    trainer.Step();
    if (with_probes && step % config.probe_every == 0) {
      for (bnlab::NetId id : bnlab::kNets) trainer.Probe(id);
      if (with_landscape) {
        for (bnlab::NetId id : bnlab::kNets) {
          bnlab::MeasureLandscape(trainer.net(id), landscape_x, data->train_y.data(), config.optimizer.learning_rate);
        }
      }
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
  double bare = 0.0, probes = 0.0, all = 0.0, landscape = 0.0;
  for (int round = 0; round < 3; ++round) {
    bare = std::max(bare, StepsPerSecond(data, false, false));
    probes = std::max(probes, StepsPerSecond(data, true, false));
    all = std::max(all, StepsPerSecond(data, true, true));
    landscape = std::max(landscape, StepsPerSecond(data, true, true, true));
  }
  const bnlab::TrainConfig defaults;
  std::printf("bare stepping              %8.0f steps/s\n", bare);
  std::printf("+ probes every %-4d         %8.0f steps/s  (%.1f%% slower)\n", defaults.probe_every, probes,
              100.0 * (1.0 - probes / bare));
  std::printf("+ test eval every %-5d    %8.0f steps/s  (%.1f%% slower than bare)\n", defaults.eval_every, all,
              100.0 * (1.0 - all / bare));
  std::printf("+ loss landscape per probe  %8.0f steps/s  (%.1f%% slower than the line above; bnlab train --csv)\n",
              landscape, 100.0 * (1.0 - landscape / all));
  return 0;
}
