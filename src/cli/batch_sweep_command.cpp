#include "cli/batch_sweep_command.h"

#include "cli/commands.h"
#include "report/batch_sweep_report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace bnlab {

void AddBatchSweepFlags(CLI::App& app, BatchSweepFlags* flags) {
  const BatchSweepOptions defaults;
  app.add_flag("--batch-sweep", flags->enabled,
               "run the batch-size experiment instead: which batch size trains BN best, under the same and a "
               "scaled learning rate?");
  flags->sizes_option = app.add_option("--sweep-sizes", flags->sizes,
                                       "--batch-sweep: batch sizes, ascending (default 2,4,...,60,...,1024)")
                            ->delimiter(',')
                            ->type_name("M1,M2,..");
  app.add_option("--sweep-rules", flags->rules,
                 "--batch-sweep: learning-rate rules, same (--lr at every m) and scaled (m x lr/--batch, capped) "
                 "(default same,scaled)")
      ->delimiter(',')
      ->type_name("R1,R2");
  app.add_option("--sweep-subset", flags->subset,
                 "--batch-sweep: training samples (default " + std::to_string(defaults.train_subset) + ")")
      ->type_name("N");
  app.add_option("--sweep-epochs", flags->epochs,
                 "--batch-sweep: epochs of the subset at every m (default " + std::to_string(defaults.epochs) + ")")
      ->type_name("E");
  app.add_option("--sweep-seeds", flags->seeds,
                 "--batch-sweep: seeds, from --seed on (default " + std::to_string(defaults.seeds) + ")")
      ->type_name("S");
  app.add_option("--sweep-lr-cap", flags->lr_cap,
                 "--batch-sweep: the scaled rule's largest lr (default " + ShortestText(defaults.lr_cap) + ")")
      ->type_name("X");
}

BatchSweepOptions BatchSweepOptionsFrom(const BatchSweepFlags& flags, const TrainConfig& config, int threads,
                                        int train_size) {
  BatchSweepOptions options;
  if (flags.sizes_option != nullptr && flags.sizes_option->count() > 0) {
    const bool empty =
        std::all_of(flags.sizes.begin(), flags.sizes.end(), [](const std::string& t) { return t.empty(); });
    if (empty) throw std::invalid_argument("--sweep-sizes: the list is empty (expected batch sizes, e.g. 2,8,60)");
    options.batch_sizes.clear();
    for (const std::string& text : flags.sizes) {
      std::size_t end = 0;
      int m = 0;
      try {
        m = std::stoi(text, &end);
      } catch (const std::exception&) {
        end = 0;
      }
      if (text.empty() || end != text.size()) {
        throw std::invalid_argument("--sweep-sizes: '" + text +
                                    "' is not a batch size (expected integers, e.g. 2,8,60)");
      }
      options.batch_sizes.push_back(m);
    }
  }
  options.rules.clear();
  for (const std::string& name : flags.rules) {
    LrRule rule;
    if (!ParseLrRule(name, &rule)) {
      throw std::invalid_argument("--sweep-rules: '" + name + "' is not a learning-rate rule (expected " +
                                  LrRuleNameList() + ")");
    }
    options.rules.push_back(rule);
  }
  options.train_subset = flags.subset;
  options.epochs = flags.epochs;
  options.seeds = flags.seeds;
  options.lr_cap = flags.lr_cap;
  options.reference_batch = config.batch_size;
  options.threads = threads;
  try {
    CheckBatchSweepOptions(options, train_size);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("--batch-sweep: ") + error.what());
  }
  return options;
}

BatchSweepOutput RunBatchSweepCommand(const BatchSweepOptions& options, const TrainConfig& config, const Dataset& data,
                                      bool json, bool quiet, Heartbeat& heartbeat) {
  const auto start = std::chrono::steady_clock::now();
  heartbeat.Phase("batch sweep: the first runs");
  BatchSweepResult result;
  try {
    result = RunBatchSweep(data, config, options, [&](int done, int total) {
      if (!quiet) {
        std::fprintf(stderr, "batch sweep: run %d/%d done (%.0f s)\n", done, total, SecondsSince(start));
      }
      if (done < total) heartbeat.Phase("batch sweep: run " + std::to_string(done + 1) + "/" + std::to_string(total));
      heartbeat.Printed();
    });
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("--batch-sweep: ") + error.what());
  }
  heartbeat.Phase("");
  const double seconds = SecondsSince(start);
  BatchSweepOutput output;
  output.csv = BatchSweepCsv(config, result);
  output.text = json ? BatchSweepJson(config, result, seconds) : BatchSweepTable(config, result, seconds);
  return output;
}

}  // namespace bnlab
