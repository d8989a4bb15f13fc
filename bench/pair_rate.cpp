// Pairs of training steps per second (one step of each twin on the same mini-batch) on the
// paper's 784-100-100-100-10 sigmoid network, Plain and BN, float32; or, with --gemm, the bound
// no implementation on one core can pass: the 11 matrix products of a step of each net and
// nothing else. bench/side_by_side.py runs it beside PyTorch; it prints one figure per run.
//
//   pair_rate --batch 60 --threads 2 --seconds 2     pairs/s of bnlab's TwinTrainer
//   pair_rate --batch 60 --gemm                      the GEMM-only bound, one thread
//   pair_rate --level                                the engine's x86-64 level (BNLAB_CPU sets it)
//
// The twins run in the engine, at its level; the bound's products are compiled here, in the
// benchmark, which a portable build compiles for the baseline: take the bound from a
// -march=native build.
#include "bench_data.h"
#include "engine/cpu_level.h"
#include "engine/trainer.h"

#include <Eigen/Core>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int batch = 60;
  int threads = 1;
  double seconds = 2.0;
  bool gemm = false;
  bool level = false;
};

double Seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Runs `step` for a warm-up, then for `seconds`, and returns steps per second.
template <typename Step>
double Rate(double seconds, Step&& step) {
  const auto warm = Clock::now();
  while (Seconds(warm) < 0.3) step();
  long steps = 0;
  const auto start = Clock::now();
  do {
    step();
    ++steps;
  } while (Seconds(start) < seconds);
  return static_cast<double>(steps) / Seconds(start);
}

double TwinPairs(const Options& options) {
  const auto data = bnlab::BenchData();
  bnlab::TrainConfig config;
  config.batch_size = options.batch;
  bnlab::FitNetToData(*data, &config.net);
  bnlab::TwinTrainer trainer(data, config);
  trainer.SetParallel(options.threads == 2);
  return Rate(options.seconds, [&] { trainer.Step(); });
}

// The products of one net's step, shapes as in the engine (features × batch): forward
// Z = W·A for the 4 layers, backward dW = dZ·Aᵀ for the 4 and dA = Wᵀ·dZ for the upper 3.
// Each of the two nets does them once per pair.
double GemmPairs(const Options& options) {
  const std::vector<int> widths = {784, 100, 100, 100, 10};
  const int m = options.batch;
  const std::size_t layers = widths.size() - 1;
  std::vector<bnlab::Matrix> w(layers), dw(layers), a(widths.size()), dz(layers), da(layers);
  for (std::size_t l = 0; l < layers; ++l) {
    w[l] = bnlab::Matrix::Random(widths[l + 1], widths[l]);
    dw[l] = bnlab::Matrix::Zero(widths[l + 1], widths[l]);
    dz[l] = bnlab::Matrix::Random(widths[l + 1], m);
    da[l] = bnlab::Matrix::Zero(widths[l], m);
  }
  for (std::size_t l = 0; l < widths.size(); ++l) a[l] = bnlab::Matrix::Random(widths[l], m);
  const double net_steps = Rate(options.seconds, [&] {
    for (std::size_t l = 0; l < layers; ++l) a[l + 1].noalias() = w[l] * a[l];
    for (std::size_t l = layers; l-- > 0;) {
      dw[l].noalias() = dz[l] * a[l].transpose();
      if (l > 0) da[l].noalias() = w[l].transpose() * dz[l];
    }
  });
  return net_steps / 2.0;
}

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--gemm") options->gemm = true;
    else if (arg == "--level") options->level = true;
    else if (arg == "--batch" && has_value) options->batch = std::atoi(argv[++i]);
    else if (arg == "--threads" && has_value) options->threads = std::atoi(argv[++i]);
    else if (arg == "--seconds" && has_value) options->seconds = std::atof(argv[++i]);
    else return false;
  }
  return options->batch >= 1 && (options->threads == 1 || options->threads == 2) && options->seconds > 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cpu_error = bnlab::ApplyRequestedCpuLevel(argv);
  if (!cpu_error.empty()) {
    std::fprintf(stderr, "pair_rate: %s\n", cpu_error.c_str());
    return 2;
  }
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::fprintf(stderr, "usage: pair_rate [--batch M] [--threads 1|2] [--seconds S] [--gemm] [--level]\n");
    return 2;
  }
  if (options.level) {
    std::printf("%s\n", bnlab::CpuLevel());
    return 0;
  }
  Eigen::setNbThreads(1);
  const double pairs = options.gemm ? GemmPairs(options) : TwinPairs(options);
  std::printf("%.1f\n", pairs);
  return 0;
}
