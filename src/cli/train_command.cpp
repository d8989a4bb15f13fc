#include "cli/train_command.h"

#include "cli/commands.h"
#include "cli/heartbeat.h"
#include "settings/setting_flags.h"
#include "settings/setting_table.h"
#include "settings/settings.h"
#include "report/train_csv.h"
#include "report/train_report.h"
#include "engine/trainer.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <variant>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kProgressSeconds = 1.0;

struct TrainOptions {
  std::string csv_path;
  bool json = false;
  bool quiet = false;
  // The two nets step on two threads (bit-identical to one); one on a one-core machine.
  int threads = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
};

// --json and --quiet take a value like the boolean settings (`--json`, `--json=false`),
// and reject what --standardize rejects.
struct SwitchText {
  std::string json, quiet;
};

std::size_t Index(NetId id) { return static_cast<std::size_t>(id); }

// Exit code 2 with the one line the command-line contract promises.
int UsageError(std::string message) { return UsageFailure("bnlab train", std::move(message)); }

void Note(const TrainOptions& options, const std::string& line) {
  if (!options.quiet) std::fprintf(stderr, "%s\n", line.c_str());
}

// Mean mini-batch loss over the last kTrainLossWindow steps, per net.
class RecentLoss {
 public:
  void Add(double loss) {
    if (losses_.size() < kTrainLossWindow) losses_.push_back(loss);
    else losses_[next_++ % kTrainLossWindow] = loss;
  }
  double Mean() const {
    double sum = 0.0;
    for (double loss : losses_) sum += loss;
    return losses_.empty() ? 0.0 : sum / static_cast<double>(losses_.size());
  }

 private:
  std::vector<double> losses_;
  std::size_t next_ = 0;
};

// The probe unit's mean and variance in every normalization layer with batch statistics: the
// running averages (RunningVar: the variance they stand for), or the population statistics of
// the last population pass.
std::vector<std::array<double, 2>> UnitStatistics(const Network<Scalar>& net, int unit, bool population) {
  std::vector<std::array<double, 2>> stats;
  for (int l = 0; l < net.num_hidden(); ++l) {
    const HiddenLayer<Scalar>& layer = net.hidden(l);
    const Eigen::Index u = std::min<Eigen::Index>(unit, layer.linear.out() - 1);
    if (population) {
      stats.push_back({layer.population_mean(u), layer.population_var(u)});
      continue;
    }
    std::visit(
        [&](const auto& norm) {
          if constexpr (NormType<decltype(norm)>::kUsesBatchStatistics) {
            stats.push_back({norm.RunningMean()(u), norm.template RunningVar<double>()(u)});
          } else {
            assert(false && "UnitStatistics: a net whose normalization uses batch statistics");
          }
        },
        layer.norm);
  }
  return stats;
}

std::vector<double> SaturatedShares(const NetProbe& probe) {
  std::vector<double> shares;
  for (const LayerProbe& layer : probe.layers) shares.push_back(layer.saturated_share);
  return shares;
}

// One run of the training loop: both nets step, every step writes one CSV row per net
// (evaluations and probes fill their columns on the steps they run), progress goes to stderr,
// and the summary's figures are gathered.
//
// A diverged net: the trainer stops stepping it when its loss turns NaN/inf. Its CSV row for
// that step carries the non-finite train_loss (once, as "nan" or "inf"), and no rows follow
// for that net, so a plot of the file simply ends there. Its summary figures are those of its
// weights at that moment (the diverging step applied no update).
class TrainRun {
 public:
  TrainRun(TwinTrainer& trainer, const TrainOptions& options, TrainCsv* csv, Heartbeat& heartbeat)
      : trainer_(trainer),
        config_(trainer.config()),
        options_(options),
        csv_(csv),
        heartbeat_(heartbeat),
        statistics_column_(BatchStatisticsColumn(config_)),
        start_(Clock::now()),
        line_time_(start_) {
    const Dataset& data = trainer.dataset();
    data.train_x.Columns(0, std::min(64, data.train_size()), &landscape_x_);
    heartbeat_.Phase("training");
  }

  void Step(long step) {
    heartbeat_.Step(step, config_.steps);
    trainer_.Step();
    const bool eval_step = step % config_.eval_every == 0 || step == config_.steps;
    const bool probe_step = step % config_.probe_every == 0 || step == config_.steps;
    for (NetId id : kNets) {
      if (diverged_[Index(id)]) continue;
      if (trainer_.diverged(id)) StopDiverged(step, id);
      else Record(step, id, eval_step, probe_step);
    }
    if (options_.quiet) return;
    if (eval_step) {
      std::fprintf(stderr, "%s\n", TestProgressLine(config_, step, config_.steps, test_, diverged_).c_str());
      heartbeat_.Printed();
    }
    if (SecondsSince(line_time_) >= kProgressSeconds && step < config_.steps) PrintProgress(step);
  }

  TrainOutcome Finish() {
    heartbeat_.Step(0, 0);
    heartbeat_.Phase("evaluating the nets for the summary");
    TrainOutcome outcome = outcome_;
    outcome.steps = config_.steps;
    outcome.seconds = SecondsSince(start_);
    // Figures for the summary of a net that diverged early, or of a run of zero steps: the
    // weights it has now (Evaluate and Probe never change a network).
    for (NetId id : kNets) {
      const std::size_t i = Index(id);
      if (figures_step_[i] != config_.steps) {
        modes_[i] = trainer_.EvaluateModes(id);
        test_[i] = modes_[i].Eval(config_.eval_stats);
        outcome.nets[i].saturated = SaturatedShares(trainer_.Probe(id));
      }
      outcome.nets[i].modes = modes_[i];
      outcome.nets[i].test = test_[i];
      outcome.nets[i].train_loss = diverged_[i] ? trainer_.last_step(id).loss : recent_[i].Mean();
    }
    outcome.memory = ProcessResidentMemory();
    return outcome;
  }

 private:
  // The net's loss turned non-finite: say so, write its last row, step it no more.
  void StopDiverged(long step, NetId id) {
    const std::size_t i = Index(id);
    const StepStats& stats = trainer_.last_step(id);
    diverged_[i] = true;
    outcome_.nets[i].diverged = true;
    outcome_.nets[i].diverged_at_step = step;
    Note(options_, "step " + std::to_string(step) + ": the " + ColumnLabel(config_, id) + " net diverged (loss " +
                       NumberText(stats.loss) + "); it stops training here");
    if (csv_ == nullptr) return;
    csv_->WriteRow(RowOf(step, id, stats));
  }

  // A step of a net still training: its losses, and on eval and probe steps their figures.
  void Record(long step, NetId id, bool eval_step, bool probe_step) {
    const std::size_t i = Index(id);
    const StepStats& stats = trainer_.last_step(id);
    recent_[i].Add(stats.loss);
    loss_sum_[i] += stats.loss;
    accuracy_sum_[i] += stats.batch_accuracy;
    if (eval_step) Evaluate(step, id);
    NetProbe probe;
    LandscapePoint landscape;
    if (probe_step) {
      heartbeat_.Phase(std::string("probing the ") + ColumnLabel(config_, id) + " net");
      probe = trainer_.Probe(id);
      outcome_.nets[i].saturated = SaturatedShares(probe);
      if (id == statistics_column_)
        running_ = UnitStatistics(trainer_.net(id), config_.probe_unit, /*population=*/false);
      // Only for the CSV: ~6 forward and backward passes of 64 images per net per probe.
      if (csv_ != nullptr) {
        landscape = MeasureLandscape(trainer_.net(id), landscape_x_, trainer_.dataset().train_y.data(),
                                     config_.optimizer.learning_rate);
      }
    }
    if (eval_step || probe_step) heartbeat_.Phase("training");
    if (eval_step && probe_step) figures_step_[i] = step;
    if (csv_ == nullptr) return;
    TrainCsv::Row row = RowOf(step, id, stats);
    row.test = eval_step ? &test_[i] : nullptr;
    row.modes = eval_step ? &modes_[i] : nullptr;
    row.probe = probe_step ? &probe : nullptr;
    row.running = probe_step && id == statistics_column_ ? &running_ : nullptr;
    row.population = eval_step && id == statistics_column_ ? &population_ : nullptr;
    row.landscape = probe_step ? &landscape : nullptr;
    csv_->WriteRow(row);
  }

  // A row with what every step has: the step, the net, its loss and accuracy, lr and batch.
  TrainCsv::Row RowOf(long step, NetId id, const StepStats& stats) const {
    TrainCsv::Row row;
    row.step = step;
    row.net = id;
    row.stats = &stats;
    row.learning_rate = config_.optimizer.learning_rate;
    row.batch_size = config_.batch_size;
    return row;
  }

  // One pass per mode; the population pass leaves the statistics the CSV reports, and the
  // eval-mode result is the mode the config names.
  void Evaluate(long step, NetId id) {
    const std::size_t i = Index(id);
    heartbeat_.Phase(std::string("evaluating the ") + ColumnLabel(config_, id) + " net on the test set");
    modes_[i] = trainer_.EvaluateModes(id);
    if (id == statistics_column_)
      population_ = UnitStatistics(trainer_.net(id), config_.probe_unit, /*population=*/true);
    test_[i] = modes_[i].Eval(config_.eval_stats);
    if (!std::isfinite(test_[i].loss) && !outcome_.nets[i].test_loss_not_finite_at_step) {
      outcome_.nets[i].test_loss_not_finite_at_step = step;
      Note(options_, "step " + std::to_string(step) + ": the " + ColumnLabel(config_, id) + " net's test loss is " +
                         NumberText(test_[i].loss) + " (eval mode) although its training loss is finite");
    }
  }

  // The mean loss and accuracy since the last progress line, and the speed.
  void PrintProgress(long step) {
    const double count = static_cast<double>(step - line_step_);
    std::array<double, 2> mean_loss, mean_accuracy;
    for (std::size_t i = 0; i < 2; ++i) {
      mean_loss[i] = loss_sum_[i] / count;
      mean_accuracy[i] = accuracy_sum_[i] / count;
    }
    const double rate = count / SecondsSince(line_time_);
    std::fprintf(stderr, "%s\n",
                 TrainProgressLine(config_, step, config_.steps, mean_loss, mean_accuracy, diverged_, rate).c_str());
    loss_sum_ = {0.0, 0.0};
    accuracy_sum_ = {0.0, 0.0};
    line_time_ = Clock::now();
    line_step_ = step;
    heartbeat_.Printed();
  }

  TwinTrainer& trainer_;
  const TrainConfig& config_;
  const TrainOptions& options_;
  TrainCsv* csv_;
  Heartbeat& heartbeat_;  // a line while one long piece of work (an evaluation of a huge net) prints none
  // The column whose running and population statistics the CSV reports (none: no such column).
  const std::optional<NetId> statistics_column_;
  // The loss landscape's fixed batch: the first training images, the same at every probe.
  Matrix landscape_x_;  // (features, 64)
  TrainOutcome outcome_;
  std::array<RecentLoss, 2> recent_;
  std::array<double, 2> loss_sum_ = {0.0, 0.0};  // since the last progress line
  std::array<double, 2> accuracy_sum_ = {0.0, 0.0};
  std::array<TestResult, 2> test_;
  std::array<TestModes, 2> modes_;
  std::vector<std::array<double, 2>> running_, population_;  // the statistics column's probe unit, per layer
  std::array<bool, 2> diverged_ = {false, false};
  std::array<long, 2> figures_step_ = {-1, -1};  // the step of each net's latest evaluation and probe
  const Clock::time_point start_;
  Clock::time_point line_time_;
  long line_step_ = 0;
};

TrainOutcome Train(TwinTrainer& trainer, const TrainOptions& options, TrainCsv* csv, Heartbeat& heartbeat) {
  TrainRun run(trainer, options, csv, heartbeat);
  for (long step = 1; step <= trainer.config().steps; ++step) run.Step(step);
  return run.Finish();
}

// What a run needs, made from the flags; the CSV file is open, the data loaded.
struct Prepared {
  std::string scene_path;
  std::unique_ptr<TrainCsv> csv;
  std::shared_ptr<const Dataset> dataset;
  std::unique_ptr<TwinTrainer> trainer;
};

// Throws SettingsError, OutputError, DataError or std::invalid_argument for what the user
// can fix.
Prepared Prepare(SettingFlags& flags, const TrainOptions& options, Heartbeat& heartbeat) {
  Prepared run;
  const Scene scene = flags.Resolve();
  TrainConfig config = scene.config;
  run.scene_path = scene.path;
  // Opened before anything slow, so a wrong path fails at once.
  if (!options.csv_path.empty()) {
    run.csv = std::make_unique<TrainCsv>(
        options.csv_path, static_cast<int>(config.net.hidden.size()),
        std::array<std::string, 2>{ColumnLabel(config, NetId::kLeft), ColumnLabel(config, NetId::kRight)});
  }
  heartbeat.Phase("loading the data" + (config.data.name == "fashion" ? " from " + config.data.dir : ""));
  run.dataset = std::make_shared<const Dataset>(LoadDataset(config.data, config.seed, LoadingProgress(heartbeat)));
  // Files in another --data-dir may hold more or larger images than Fashion-MNIST's (the
  // synthetic sets' shape was known to CheckConfig already).
  if (config.data.name == "fashion") {
    CheckMemory(config, ShapeOf(*run.dataset), MemoryBudgetBytes(), "settings with the data in " + config.data.dir);
  }
  FitNetToData(*run.dataset, &config.net);
  heartbeat.Phase("building the networks");
  run.trainer = std::make_unique<TwinTrainer>(run.dataset, config);
  run.trainer->SetParallel(options.threads == 2);
  return run;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Trains two twin networks (--left, --right: Plain and BN by default) on the same mini-batches,\n"
      "from the same initial weights, without a window.\n"
      "Progress goes to stderr, the summary to stdout.",
      "bnlab train"};
  app.get_formatter()->column_width(34);
  SettingFlags flags(&app);
  TrainOptions options;
  app.add_option("--csv", options.csv_path, "write every step of both nets to a CSV file (long format)")
      ->type_name("OUT.csv");
  app.add_option("--threads", options.threads,
                 "1 or 2: the two nets step one after the other or at once (default 2 on a machine with two cores "
                 "or more); the results do not depend on it")
      ->check(CLI::Range(1, 2));
  SwitchText switches;
  CLI::Option* json_option = app.add_option("--json", switches.json, "print the summary as one JSON object");
  CLI::Option* quiet_option = app.add_option("--quiet", switches.quiet, "no progress lines on stderr");
  for (CLI::Option* option : {json_option, quiet_option})
    option->expected(0, 1)->default_str("true")->type_name("[BOOL]");
  app.footer(
      "Settings are the scene-file keys (assets/scenes/*.toml); flags override the scene.\n"
      "Exit codes: 0 trained (also when a net diverged), 2 bad usage or input or an output that cannot be written,\n"
      "1 internal error.\n");
  app.set_version_flag("--version", VersionLine(), "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help
    return UsageError(std::string(error.what()) + " (see bnlab train --help)");
  }

  for (const auto& [option, text, value] : {std::tuple{json_option, &switches.json, &options.json},
                                            std::tuple{quiet_option, &switches.quiet, &options.quiet}}) {
    if (option->count() > 0 && !settings::ParseBoolean(*text, value)) {
      return UsageError(option->get_name() + ": '" + *text + "' is not a boolean (expected true or false)");
    }
  }
  if (app.count("--csv") > 0 && options.csv_path.empty()) {
    return UsageError("--csv: the file name is empty (expected --csv OUT.csv)");
  }

  Heartbeat heartbeat(options.quiet ? nullptr : stderr);
  Prepared run;
  try {
    run = Prepare(flags, options, heartbeat);
  } catch (const SettingsError& error) {
    return UsageError(error.what());
  } catch (const OutputError& error) {
    return UsageError(error.what());
  } catch (const DataError& error) {
    return UsageError(WithSyntheticHint(error.what()));
  } catch (const std::invalid_argument& error) {
    return UsageError(error.what());  // options the generator or the trainer rejects
  }
  const TrainOutcome outcome = Train(*run.trainer, options, run.csv.get(), heartbeat);
  heartbeat.Phase("");
  if (run.csv != nullptr) {
    try {
      run.csv->Close();
    } catch (const OutputError& error) {
      return UsageError(error.what());
    }
  }
  const TrainConfig& config = run.trainer->config();
  const std::string summary = options.json ? SummaryJson(config, *run.dataset, outcome, run.scene_path)
                                           : SummaryText(config, *run.dataset, outcome);
  std::string error;
  if (!PrintToStdout(summary, &error)) {
    return UsageError(std::string("cannot write the ") + (options.json ? "JSON summary" : "summary") +
                      " to stdout: " + error);
  }
  return 0;
}

}  // namespace

int RunTrainCommand(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bnlab train: internal error: %s\n", error.what());
    return 1;
  }
}

}  // namespace bnlab
