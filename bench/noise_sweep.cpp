// The full `bnlab noise` sweep on the paper's network (784-100-100-100-10 sigmoid, both nets,
// batch sizes 1 … 1024 plus 60, K = 64 batches each, gradients included), timed by phase.
// Target: at most 2 s on a 2-core machine. Prints figures; never a test.
#include "bench_data.h"
#include "engine/noise.h"
#include "engine/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace {

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main() {
  const auto data = bnlab::BenchData();
  bnlab::TrainConfig config;
  bnlab::FitNetToData(*data, &config.net);
  bnlab::TwinTrainer trainer(data, config);
  const std::vector<int> sizes = bnlab::NoiseBatchSizes(config.batch_size, data->train_size());
  bnlab::NoiseOptions options;
  std::printf("dataset %s (%d samples), 3x100 sigmoid twins, %zu batch sizes, K = %d\n", data->name.c_str(),
              data->train_size(), sizes.size(), options.draws);
  double best_setup = 1e9, best_total = 1e9;
  for (int round = 0; round < 3; ++round) {
    const auto start = std::chrono::steady_clock::now();
    bnlab::NoiseLab lab(trainer.net(bnlab::NetId::kLeft), trainer.net(bnlab::NetId::kRight), *data, options);
    const double setup = Seconds(start);
    for (int m : sizes) lab.Measure(m);
    best_setup = std::min(best_setup, setup);
    best_total = std::min(best_total, Seconds(start));
  }
  std::printf("population pass + reference gradients  %6.3f s\n", best_setup);
  std::printf("whole sweep (best of 3)                %6.3f s  (target <= 2 s)\n", best_total);
  return 0;
}
