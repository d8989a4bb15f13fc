// Cost of one twin step, one probe and one test-set evaluation on the paper's network.
#include "bench_data.h"
#include "engine/trainer.h"

#include <benchmark/benchmark.h>

namespace bnlab {
namespace {

std::shared_ptr<const Dataset> Data() {
  static std::shared_ptr<const Dataset> data = BenchData();
  return data;
}

TrainConfig PaperConfig(int batch) {
  TrainConfig config;
  config.batch_size = batch;
  FitNetToData(*Data(), &config.net);
  return config;
}

void BM_TwinStep(benchmark::State& state) {
  TwinTrainer trainer(Data(), PaperConfig(static_cast<int>(state.range(0))));
  for (auto _ : state) trainer.Step();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TwinStep)->UseRealTime()->Arg(1)->Arg(16)->Arg(60)->Arg(256)->Arg(1024);

// The same with the BN net on the second core (wall time is what counts here).
void BM_TwinStepParallel(benchmark::State& state) {
  TwinTrainer trainer(Data(), PaperConfig(static_cast<int>(state.range(0))));
  trainer.SetParallel(true);
  for (auto _ : state) trainer.Step();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TwinStepParallel)->Arg(1)->Arg(16)->Arg(60)->Arg(256)->Arg(1024)->UseRealTime();

void BM_ProbeBothNets(benchmark::State& state) {
  TwinTrainer trainer(Data(), PaperConfig(60));
  trainer.Step();
  for (auto _ : state) {
    benchmark::DoNotOptimize(trainer.Probe(NetId::kLeft));
    benchmark::DoNotOptimize(trainer.Probe(NetId::kRight));
  }
}
BENCHMARK(BM_ProbeBothNets);

void BM_EvaluateBothNets(benchmark::State& state) {
  TwinTrainer trainer(Data(), PaperConfig(60));
  trainer.Step();
  for (auto _ : state) {
    benchmark::DoNotOptimize(trainer.Evaluate(NetId::kLeft));
    benchmark::DoNotOptimize(trainer.Evaluate(NetId::kRight));
  }
}
BENCHMARK(BM_EvaluateBothNets)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bnlab

BENCHMARK_MAIN();
