#include "cli/train_command.h"

#include "cli/commands.h"
#include "settings/setting_flags.h"
#include "settings/setting_table.h"
#include "settings/settings.h"
#include "cli/train_csv.h"
#include "cli/train_report.h"
#include "engine/trainer.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

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

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Exit code 2 with the one line the command-line contract promises.
int UsageError(std::string message) {
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  std::fprintf(stderr, "bnlab train: %s\n", message.c_str());
  return 2;
}

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

// The probe unit's mean and variance in every BN (renorm) layer: the running averages, or the
// population statistics of the last population pass. Renorm keeps σ (with ε) where BN keeps
// σ²: its variance is σ² − ε.
std::vector<std::array<double, 2>> UnitStatistics(const Network<Scalar>& net, int unit, bool population) {
  std::vector<std::array<double, 2>> stats;
  const bool renorm = net.norm() == NormKind::kRenorm;
  for (int l = 0; l < net.num_hidden(); ++l) {
    const HiddenLayer<Scalar>& layer = net.hidden(l);
    const Eigen::Index u = std::min<Eigen::Index>(unit, layer.linear.out() - 1);
    if (population) {
      stats.push_back({layer.population_mean(u), layer.population_var(u)});
    } else if (renorm) {
      const double sigma = layer.renorm.running_std(u);
      stats.push_back({layer.renorm.running_mean(u), sigma * sigma - layer.renorm.eps});
    } else {
      stats.push_back({layer.bn.running_mean(u), layer.bn.running_var(u)});
    }
  }
  return stats;
}

std::vector<double> SaturatedShares(const NetProbe& probe) {
  std::vector<double> shares;
  for (const LayerProbe& layer : probe.layers) shares.push_back(layer.saturated_share);
  return shares;
}

// The training loop. Every step writes one CSV row per net; evaluations and probes fill
// their columns on the steps they run.
//
// A diverged net: the trainer stops stepping it when its loss turns NaN/inf. Its CSV row for
// that step carries the non-finite train_loss (once, as "nan" or "inf"), and no rows follow
// for that net, so a plot of the file simply ends there. Its summary figures are those of its
// weights at that moment (the diverging step applied no update).
TrainOutcome Train(TwinTrainer& trainer, const TrainOptions& options, TrainCsv* csv) {
  const TrainConfig& config = trainer.config();
  const long steps = config.steps;
  TrainOutcome outcome;
  outcome.steps = steps;

  std::array<RecentLoss, 2> recent;
  std::array<double, 2> loss_sum = {0.0, 0.0};   // since the last progress line
  std::array<double, 2> accuracy_sum = {0.0, 0.0};
  std::array<TestResult, 2> test;
  std::array<TestModes, 2> modes;
  std::vector<std::array<double, 2>> running, population;  // the statistics column's probe unit, per layer
  // The column whose running and population statistics the CSV reports (none: no such column).
  const std::optional<NetId> statistics_column = BatchStatisticsColumn(config);
  // The loss landscape's fixed batch: the first training images, the same at every probe.
  const Dataset& data = trainer.dataset();
  Matrix landscape_x;  // (features, 64)
  data.train_x.Columns(0, std::min(64, data.train_size()), &landscape_x);
  std::array<bool, 2> diverged = {false, false};
  std::array<long, 2> figures_step = {-1, -1};   // the step of each net's latest evaluation and probe
  const Clock::time_point start = Clock::now();
  Clock::time_point line_time = start;
  long line_step = 0;

  for (long step = 1; step <= steps; ++step) {
    trainer.Step();
    const bool eval_step = step % config.eval_every == 0 || step == steps;
    const bool probe_step = step % config.probe_every == 0 || step == steps;
    for (NetId id : kNets) {
      const std::size_t i = Index(id);
      if (diverged[i]) continue;
      const StepStats& stats = trainer.last_step(id);
      if (trainer.diverged(id)) {
        diverged[i] = true;
        outcome.nets[i].diverged = true;
        outcome.nets[i].diverged_at_step = step;
        Note(options, "step " + std::to_string(step) + ": the " + ColumnLabel(config, id) + " net diverged (loss " +
                          NumberText(stats.loss) + "); it stops training here");
        if (csv != nullptr) {
          TrainCsv::Row row;
          row.step = step;
          row.net = id;
          row.stats = &stats;
          row.learning_rate = config.optimizer.learning_rate;
          row.batch_size = config.batch_size;
          csv->WriteRow(row);
        }
        continue;
      }
      recent[i].Add(stats.loss);
      loss_sum[i] += stats.loss;
      accuracy_sum[i] += stats.batch_accuracy;
      NetProbe probe;
      LandscapePoint landscape;
      if (eval_step) {
        // One pass per mode; the population pass leaves the statistics the CSV reports, and the
        // eval-mode result is the mode the config names.
        modes[i] = trainer.EvaluateModes(id);
        if (id == statistics_column) population = UnitStatistics(trainer.net(id), config.probe_unit, /*population=*/true);
        test[i] = modes[i].Eval(config.eval_stats);
        if (!std::isfinite(test[i].loss) && !outcome.nets[i].test_loss_not_finite_at_step) {
          outcome.nets[i].test_loss_not_finite_at_step = step;
          Note(options, "step " + std::to_string(step) + ": the " + ColumnLabel(config, id) + " net's test loss is " +
                            NumberText(test[i].loss) + " (eval mode) although its training loss is finite");
        }
      }
      if (probe_step) {
        probe = trainer.Probe(id);
        outcome.nets[i].saturated = SaturatedShares(probe);
        if (id == statistics_column) running = UnitStatistics(trainer.net(id), config.probe_unit, /*population=*/false);
        // Only for the CSV: ~6 forward and backward passes of 64 images per net per probe.
        if (csv != nullptr) {
          landscape = MeasureLandscape(trainer.net(id), landscape_x, data.train_y.data(), config.optimizer.learning_rate);
        }
      }
      if (eval_step && probe_step) figures_step[i] = step;
      if (csv != nullptr) {
        TrainCsv::Row row;
        row.step = step;
        row.net = id;
        row.stats = &stats;
        row.test = eval_step ? &test[i] : nullptr;
        row.modes = eval_step ? &modes[i] : nullptr;
        row.probe = probe_step ? &probe : nullptr;
        row.running = probe_step && id == statistics_column ? &running : nullptr;
        row.population = eval_step && id == statistics_column ? &population : nullptr;
        row.landscape = probe_step ? &landscape : nullptr;
        row.learning_rate = config.optimizer.learning_rate;
        row.batch_size = config.batch_size;
        csv->WriteRow(row);
      }
    }
    if (options.quiet) continue;
    if (eval_step) std::fprintf(stderr, "%s\n", TestProgressLine(config, step, steps, test, diverged).c_str());
    const double since_line = SecondsSince(line_time);
    if (since_line >= kProgressSeconds && step < steps) {
      const double count = static_cast<double>(step - line_step);
      std::array<double, 2> mean_loss, mean_accuracy;
      for (std::size_t i = 0; i < 2; ++i) {
        mean_loss[i] = loss_sum[i] / count;
        mean_accuracy[i] = accuracy_sum[i] / count;
      }
      std::fprintf(stderr, "%s\n",
                   TrainProgressLine(config, step, steps, mean_loss, mean_accuracy, diverged, count / since_line).c_str());
      loss_sum = {0.0, 0.0};
      accuracy_sum = {0.0, 0.0};
      line_time = Clock::now();
      line_step = step;
    }
  }
  outcome.seconds = SecondsSince(start);

  // Figures for the summary of a net that diverged early, or of a run of zero steps: the
  // weights it has now (Evaluate and Probe never change a network).
  for (NetId id : kNets) {
    const std::size_t i = Index(id);
    if (figures_step[i] != steps) {
      modes[i] = trainer.EvaluateModes(id);
      test[i] = modes[i].Eval(config.eval_stats);
      outcome.nets[i].saturated = SaturatedShares(trainer.Probe(id));
    }
    outcome.nets[i].modes = modes[i];
    outcome.nets[i].test = test[i];
    outcome.nets[i].train_loss = diverged[i] ? trainer.last_step(id).loss : recent[i].Mean();
  }
  outcome.memory = ProcessResidentMemory();
  return outcome;
}

int Run(int argc, char** argv) {
  CLI::App app{"Trains two twin networks (--left, --right: Plain and BN by default) on the same mini-batches,\n"
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
  for (CLI::Option* option : {json_option, quiet_option}) option->expected(0, 1)->default_str("true")->type_name("[BOOL]");
  app.footer("Settings are the scene-file keys (assets/scenes/*.toml); flags override the scene.\n"
             "Exit codes: 0 trained (also when a net diverged), 2 bad usage or input, 1 internal error.\n");
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

  TrainConfig config;
  std::string scene_path;
  std::unique_ptr<TrainCsv> csv;
  std::shared_ptr<const Dataset> dataset;
  std::unique_ptr<TwinTrainer> trainer;
  try {
    const Scene scene = flags.Resolve();
    config = scene.config;
    scene_path = scene.path;
    // Opened before anything slow, so a wrong path fails at once.
    if (!options.csv_path.empty()) {
      csv = std::make_unique<TrainCsv>(options.csv_path, static_cast<int>(config.net.hidden.size()),
                                       std::array<std::string, 2>{ColumnLabel(config, NetId::kPlain),
                                                                  ColumnLabel(config, NetId::kBn)});
    }
    dataset = std::make_shared<const Dataset>(LoadDataset(config.data, config.seed));
    // Files in another --data-dir may hold more or larger images than Fashion-MNIST's (the
    // synthetic sets' shape was known to CheckConfig already).
    if (config.data.name == "fashion") {
      CheckMemory(config, ShapeOf(*dataset), MemoryBudgetBytes(), "settings with the data in " + config.data.dir);
    }
    FitNetToData(*dataset, &config.net);
    trainer = std::make_unique<TwinTrainer>(dataset, config);
    trainer->SetParallel(options.threads == 2);
  } catch (const SettingsError& error) {
    return UsageError(error.what());
  } catch (const OutputError& error) {
    return UsageError(error.what());
  } catch (const DataError& error) {
    return UsageError(WithSyntheticHint(error.what()));
  } catch (const std::invalid_argument& error) {
    return UsageError(error.what());  // options the generator or the trainer rejects
  }

  const TrainOutcome outcome = Train(*trainer, options, csv.get());
  if (csv != nullptr) {
    try {
      csv->Close();
    } catch (const OutputError& error) {
      return UsageError(error.what());
    }
  }
  const std::string summary = options.json ? SummaryJson(config, *dataset, outcome, scene_path)
                                           : SummaryText(config, *dataset, outcome);
  std::fputs(summary.c_str(), stdout);
  std::fflush(stdout);
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
