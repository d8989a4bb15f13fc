#include "cli/noise_command.h"

#include "cli/batch_sweep_command.h"
#include "cli/commands.h"
#include "cli/heartbeat.h"
#include "report/noise_report.h"
#include "settings/atomic_file.h"
#include "settings/setting_flags.h"
#include "settings/settings.h"
#include "engine/trainer.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;

// Draws times the largest batch: the samples one batch size gathers. Bounds time and memory.
constexpr long long kMaxDrawnSamples = 1LL << 24;
constexpr int kMaxDraws = 100000;

struct NoiseFlags {
  std::vector<int> batches;
  int draws = 64;
  int layer = 0;  // 1-based; 0 = every BN layer
  int sample = 0;
  int threads = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
  bool no_gradients = false;
  std::string csv_path;
  bool json = false;
  bool quiet = false;
  bool regularization = false;
  std::vector<int> ghost_groups = {4, 16, 60, 240};
  int reg_batch = 240;
  int reg_subset = 2000;
  long reg_steps = 3000;
  int reg_seeds = 3;
};

// Bad usage or input: the one line of the command-line contract, exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int Fail(std::string message) { return UsageFailure("bnlab noise", std::move(message)); }

// The whole file or, on any failure, the old one (settings/atomic_file.h).
void WriteFile(const std::string& path, const std::string& text) {
  try {
    WriteFileAtomically(path, text);
  } catch (const FileWriteError& error) {
    throw UsageError(std::string("--csv: ") + error.what());
  }
}

// Checks the sweep's options against the data and the nets; throws UsageError.
void CheckSweep(const NoiseFlags& flags, int train_size, int num_layers) {
  if (flags.draws < 2 || flags.draws > kMaxDraws) {
    throw UsageError("--draws: " + std::to_string(flags.draws) + " is out of range (expected an integer in [2, " +
                     std::to_string(kMaxDraws) + "])");
  }
  for (int m : flags.batches) {
    if (m >= train_size) {
      throw UsageError("--batches: " + std::to_string(m) + " is not below the training set's " +
                       std::to_string(train_size) + " samples: every batch of the whole set is the same, with no " +
                       "spread to measure (expected batch sizes in [1, " +
                       std::to_string(LargestNoiseBatch(train_size)) + "])");
    }
    if (m < 1) {
      throw UsageError("--batches: " + std::to_string(m) + " is out of range (expected batch sizes in [1, " +
                       std::to_string(LargestNoiseBatch(train_size)) + "])");
    }
  }
  if (flags.layer < 0 || flags.layer > num_layers) {
    throw UsageError("--layer: " + std::to_string(flags.layer) + " is not a hidden layer (the nets have " +
                     std::to_string(num_layers) + "; 0 means all)");
  }
  if (flags.sample < 0 || flags.sample >= train_size) {
    throw UsageError("--sample: " + std::to_string(flags.sample) + " is outside the training set [0, " +
                     std::to_string(train_size - 1) + "]");
  }
  const int largest = flags.batches.empty() ? 1024 : *std::max_element(flags.batches.begin(), flags.batches.end());
  if (static_cast<long long>(flags.draws) * largest > kMaxDrawnSamples) {
    throw UsageError("--draws " + std::to_string(flags.draws) + " with batch size " + std::to_string(largest) +
                     " would gather " + std::to_string(static_cast<long long>(flags.draws) * largest) +
                     " samples per batch size; at most " + std::to_string(kMaxDrawnSamples));
  }
}

void TrainFirst(TwinTrainer& trainer, long steps, bool quiet, Heartbeat& heartbeat) {
  Clock::time_point line = Clock::now();
  heartbeat.Phase("training first");
  for (long step = 1; step <= steps; ++step) {
    heartbeat.Step(step, steps);
    trainer.Step();
    if (!quiet && SecondsSince(line) >= 1.0 && step < steps) {
      std::fprintf(stderr, "training first: step %ld/%ld\n", step, steps);
      heartbeat.Printed();
      line = Clock::now();
    }
  }
  heartbeat.Step(0, 0);
  for (NetId id : kNets) {
    if (trainer.diverged(id) && !quiet) {
      std::fprintf(stderr, "note: the %s net diverged while training; its figures are not numbers\n",
                   ColumnLabel(trainer.config(), id));
    }
  }
}

std::string Sweep(const NoiseFlags& flags, const TrainConfig& config, std::shared_ptr<const Dataset> data,
                  Heartbeat& heartbeat) {
  // Before any training: the sweep measures batch statistics, which one column must have.
  const std::optional<NetId> statistics = BatchStatisticsColumn(config);
  if (!statistics) {
    throw UsageError(std::string("the noise sweep measures the batch statistics of BN, but neither column uses "
                                 "them (--left ") +
                     VariantKey(config.left) + ", --right " + VariantKey(config.right) +
                     "); make one of them bn, bn-after, bn-bias, ghost-bn or renorm");
  }
  heartbeat.Phase("building the networks");
  TwinTrainer trainer(data, config);
  trainer.SetParallel(flags.threads == 2);  // the training first, too
  const int n = data->train_size();
  CheckSweep(flags, n, trainer.net(*statistics).num_hidden());
  TrainFirst(trainer, config.steps, flags.quiet, heartbeat);

  NoiseRun run;
  run.config = &trainer.config();
  run.dataset = data->name;
  run.train_size = n;
  run.trained_steps = trainer.step();
  run.options.draws = flags.draws;
  run.options.sample = flags.sample;
  run.options.threads = flags.threads;
  run.options.gradients = !flags.no_gradients;
  run.options.seed = config.seed;
  run.statistics = *statistics;
  const int layers = trainer.net(*statistics).num_hidden();
  for (int l = 0; l < layers; ++l) {
    if (flags.layer == 0 || flags.layer == l + 1) run.layers.push_back(l);
  }
  std::vector<int> sizes = flags.batches.empty() ? NoiseBatchSizes(config.batch_size, n) : flags.batches;
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());

  const Clock::time_point start = Clock::now();
  heartbeat.Phase("computing the population statistics and the reference gradient");
  NoiseLab lab(trainer.net(NetId::kLeft), trainer.net(NetId::kRight), *data, run.options);
  std::vector<NoisePoint> points;
  for (int m : sizes) {
    heartbeat.Phase("measuring batch size " + std::to_string(m) + " (" + std::to_string(points.size() + 1) + " of " +
                    std::to_string(sizes.size()) + ")");
    points.push_back(lab.Measure(m));
  }
  heartbeat.Phase("");
  run.seconds = SecondsSince(start);
  const NoiseSlopes slopes = FitNoiseSlopes(points, n);
  if (!flags.csv_path.empty()) WriteFile(flags.csv_path, NoiseCsv(run, points));
  return flags.json ? NoiseJson(run, points, slopes) : NoiseTable(run, points, slopes);
}

std::string Regularization(const NoiseFlags& flags, const TrainConfig& config, const Dataset& data,
                           Heartbeat& heartbeat) {
  GhostExperimentOptions options;
  options.ghost_groups = flags.ghost_groups;
  options.batch_size = flags.reg_batch;
  options.train_subset = flags.reg_subset;
  options.steps = flags.reg_steps;
  options.seeds = flags.reg_seeds;
  options.threads = flags.threads;
  GhostExperimentResult result;
  heartbeat.Phase("regularization: the first run");
  try {
    result = RunGhostExperiment(data, config, options, [&](int done, int total) {
      if (!flags.quiet) std::fprintf(stderr, "regularization: run %d/%d done\n", done, total);
      if (done < total)
        heartbeat.Phase("regularization: run " + std::to_string(done + 1) + "/" + std::to_string(total));
      heartbeat.Printed();
    });
  } catch (const std::invalid_argument& error) {
    throw UsageError(std::string("--regularization: ") + error.what());
  }
  heartbeat.Phase("");
  if (!flags.csv_path.empty()) WriteFile(flags.csv_path, GhostCsv(result));
  return flags.json ? GhostJson(config, options, result) : GhostTable(options, result);
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Measures how the batch size sets the noise of BN's statistics and of the gradient, without a "
      "window.\nTrains the twins for --steps first (0: the initial weights). Table on stdout.",
      "bnlab noise"};
  app.get_formatter()->column_width(34);
  SettingFlags settings(&app);
  NoiseFlags flags;
  app.add_option("--batches", flags.batches, "batch sizes to measure (default 1,2,4,...,1024 and --batch)")
      ->delimiter(',')
      ->type_name("M1,M2,..");
  app.add_option("--draws", flags.draws, "K: batches drawn per batch size (default 64)")->type_name("K");
  app.add_option("--layer", flags.layer, "report only this hidden layer (1-based; default all)")->type_name("L");
  app.add_option("--sample", flags.sample, "training sample whose x-hat noise is measured (default 0)")->type_name("I");
  app.add_option("--threads", flags.threads,
                 "1 or 2 (default 2 on a machine with two cores or more): the training first and the sweep; "
                 "the figures do not depend on it")
      ->check(CLI::Range(1, 2));
  app.add_flag("--no-gradients", flags.no_gradients, "skip the gradient noise (faster)");
  app.add_option("--csv", flags.csv_path, "write the figures to a CSV file")->type_name("OUT.csv");
  app.add_flag("--json", flags.json, "print the results as JSON");
  app.add_flag("--quiet", flags.quiet, "no progress lines on stderr");
  app.add_flag("--regularization", flags.regularization,
               "run the ghost-BN experiment instead: does the noise of batch statistics regularize?");
  app.add_option("--ghost-groups", flags.ghost_groups,
                 "--regularization: BN statistics group sizes (default 4,16,60,240)")
      ->delimiter(',')
      ->type_name("G1,G2,..");
  app.add_option("--reg-batch", flags.reg_batch, "--regularization: SGD batch of every run (default 240)")
      ->type_name("M");
  app.add_option("--reg-subset", flags.reg_subset, "--regularization: training samples (default 2000)")->type_name("N");
  app.add_option("--reg-steps", flags.reg_steps, "--regularization: SGD steps of every run (default 3000)")
      ->type_name("N");
  app.add_option("--reg-seeds", flags.reg_seeds, "--regularization: seeds, from --seed on (default 3)")->type_name("S");
  BatchSweepFlags batch_sweep;
  AddBatchSweepFlags(app, &batch_sweep);
  app.footer(
      "Settings are the scene-file keys (assets/scenes/*.toml), as for bnlab train.\n"
      "Exit codes: 0 measured, 2 bad usage or input or an output that cannot be written, 1 internal error.\n");
  app.set_version_flag("--version", VersionLine(), "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    return Fail(std::string(error.what()) + " (see bnlab noise --help)");
  }
  if (app.count("--csv") > 0 && flags.csv_path.empty()) return Fail("--csv: the path is empty");
  if (batch_sweep.enabled && flags.regularization) {
    return Fail("--batch-sweep and --regularization are two experiments: give one of them");
  }

  try {
    TrainConfig config = settings.Resolve().config;
    Heartbeat heartbeat(flags.quiet ? nullptr : stderr);
    heartbeat.Phase("loading the data" + (config.data.name == "fashion" ? " from " + config.data.dir : ""));
    auto data = std::make_shared<const Dataset>(LoadDataset(config.data, config.seed, LoadingProgress(heartbeat)));
    FitNetToData(*data, &config.net);
    std::string out;
    if (batch_sweep.enabled) {
      const BatchSweepOptions options = BatchSweepOptionsFrom(batch_sweep, config, flags.threads, data->train_size());
      BatchSweepOutput sweep = RunBatchSweepCommand(options, config, *data, flags.json, flags.quiet, heartbeat);
      if (!flags.csv_path.empty()) WriteFile(flags.csv_path, sweep.csv);
      out = std::move(sweep.text);
    } else {
      out = flags.regularization ? Regularization(flags, config, *data, heartbeat)
                                 : Sweep(flags, config, data, heartbeat);
    }
    std::string error;
    if (!PrintToStdout(out, &error)) {
      return Fail(std::string("cannot write the ") + (flags.json ? "JSON results" : "table") + " to stdout: " + error);
    }
    return 0;
  } catch (const SettingsError& error) {
    return Fail(error.what());
  } catch (const UsageError& error) {
    return Fail(error.what());
  } catch (const DataError& error) {
    return Fail(WithSyntheticHint(error.what()));
  } catch (const std::invalid_argument& error) {
    return Fail(error.what());  // options the generator, the trainer or the lab rejects
  }
}

}  // namespace

int RunNoiseCommand(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bnlab noise: internal error: %s\n", error.what());
    return 1;
  }
}

}  // namespace bnlab
