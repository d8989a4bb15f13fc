// What Session::Publish() costs the session thread: one copy of a Snapshot (and, later, its
// release), on the Snapshot of a long GUI run with every view visited: the default twins
// (3 hidden layers), every History full and merged, the noise traces full. Also one full
// History on its own, the part of the copy that used to grow with the run.
#include "bench_data.h"
#include "engine/trainer.h"
#include "session/snapshot.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

std::atomic<long> g_allocations{0};

}  // namespace

// Every heap block counts, Eigen's included: malloc itself is interposed (glibc exports
// __libc_malloc), as in tests/alloc/no_allocation_test.cpp.
extern "C" void* __libc_malloc(std::size_t size);

extern "C" void* malloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}

namespace bnlab {
namespace {

// More samples than a History holds, so it has merged several times, and an odd count, so its
// newest point is open, as in a run that has gone on for hours.
constexpr int kSamples = 5 * 2048 * 4 + 3;

void Fill(History& history, double scale) {
  for (int i = 0; i < kSamples; ++i) history.Add(i, scale * (1.0 + std::sin(0.001 * i)));
}

Snapshot LongRunSnapshot() {
  const auto data = BenchData();
  TrainConfig config;
  FitNetToData(*data, &config.net);
  TwinTrainer trainer(data, config);
  trainer.Step();
  Snapshot snapshot;
  snapshot.config = config;
  snapshot.dataset = data;
  const std::size_t hidden = config.net.hidden.size();
  for (NetId id : kNets) {
    NetView& view = snapshot.nets[static_cast<std::size_t>(id)];
    view.probe = trainer.Probe(id);
    view.has_probe = true;
    for (History* history : {&view.train_loss, &view.batch_accuracy, &view.test_loss, &view.test_accuracy}) {
      Fill(*history, 1.0);
    }
    view.layers.resize(hidden);
    for (LayerHistory& layer : view.layers) {
      for (History* history :
           {&layer.p15, &layer.p50, &layer.p85, &layer.saturated, &layer.grad_norm, &layer.update_ratio}) {
        Fill(*history, 0.5);
      }
    }
    LandscapeHistory& landscape = view.landscape;
    for (History* history : {&landscape.loss_lo, &landscape.loss_hi, &landscape.grad_change_lo,
                             &landscape.grad_change_hi, &landscape.smoothness}) {
      Fill(*history, 2.0);
    }
  }
  TestTimeView& test_time = snapshot.test_time;
  test_time.population_mean.resize(hidden);
  test_time.population_var.resize(hidden);
  for (std::size_t l = 0; l < hidden; ++l) {
    Fill(test_time.population_mean[l], 0.1);
    Fill(test_time.population_var[l], 1.0);
  }
  for (History* history : {&test_time.test_acc_batch, &test_time.test_acc_running, &test_time.test_acc_population}) {
    Fill(*history, 0.9);
  }
  snapshot.noise.traces.resize(hidden);
  for (UnitTrace& trace : snapshot.noise.traces) {
    for (std::size_t i = 0; i < kUnitTraceLength; ++i) {
      trace.step.push_back(static_cast<double>(i));
      for (std::vector<float>* series :
           {&trace.batch_mean, &trace.batch_var, &trace.running_mean, &trace.running_var}) {
        series->push_back(0.5f);
      }
      trace.batch_size.push_back(config.batch_size);
    }
  }
  return snapshot;
}

struct Cost {
  double microseconds = 0.0;  // per copy, its release included
  double allocations = 0.0;   // per copy
};

// Best of several rounds, so that a busy moment on the machine (training shares it) does
// not count.
template <typename Copy>
Cost Measure(Copy copy) {
  constexpr int kRounds = 7;
  constexpr int kCopies = 300;
  Cost best{HUGE_VAL, 0.0};
  for (int round = 0; round < kRounds; ++round) {
    long allocations = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCopies; ++i) {
      const long before = g_allocations.load(std::memory_order_relaxed);
      auto copied = copy();
      asm volatile("" : : "g"(&copied) : "memory");  // the copy is used: not optimized away
      allocations += g_allocations.load(std::memory_order_relaxed) - before;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best.microseconds = std::min(best.microseconds, 1e6 * seconds / kCopies);
    best.allocations = static_cast<double>(allocations) / kCopies;
  }
  return best;
}

}  // namespace
}  // namespace bnlab

int main() {
  using namespace bnlab;
  const Snapshot snapshot = LongRunSnapshot();
  const History& full = snapshot.nets[0].train_loss;
  std::printf("Snapshot of a long run: %zu hidden layers, histories of %zu points (stride %zu)\n",
              snapshot.nets[0].layers.size(), full.size(), full.stride());
  const Cost whole = Measure([&] { return std::make_shared<const Snapshot>(snapshot); });
  const Cost one = Measure([&] { return History(full); });
  std::printf("copy of the Snapshot (Publish)  %9.1f us  %7.1f allocations\n", whole.microseconds, whole.allocations);
  std::printf("copy of one full History        %9.1f ns  %7.1f allocations\n", 1e3 * one.microseconds, one.allocations);
  return 0;
}
