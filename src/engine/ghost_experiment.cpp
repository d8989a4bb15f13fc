#include "engine/ghost_experiment.h"

#include "engine/differ.h"
#include "engine/network.h"
#include "engine/parallel_jobs.h"
#include "engine/random.h"
#include "engine/seed_stats.h"
#include "engine/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace bnlab {
namespace {

struct Job {
  int seed_index = 0;
  int ghost_group = 0;  // 0: the plain net
  double train_accuracy = 0.0;
  double test_accuracy = 0.0;
};

double Accuracy(const Network<Scalar>& net, const Samples& x, const Labels& y, Workspace<Scalar>& ws) {
  const Normalization normalization =
      net.uses_batch_statistics() ? Normalization::kPopulation : Normalization::kRunning;
  return EvaluateNet(net, x, y, normalization, x.size(), ws).accuracy;
}

// One run: SGD on shuffled epochs of the subset, then accuracy on it and on the test set. A
// run whose loss stops being finite keeps the weights it had (its accuracy says the rest).
void RunJob(const Dataset& subset, const TrainConfig& base, const GhostExperimentOptions& options, Job& job,
            const std::atomic<bool>* cancel) {
  const std::uint64_t seed = base.seed + static_cast<std::uint64_t>(job.seed_index);
  NetConfig config = base.net;
  config.input_size = subset.features();
  config.num_classes = subset.num_classes;
  config.ghost_group = job.ghost_group >= options.batch_size ? 0 : job.ghost_group;
  Network<Scalar> net(WithNorm(config, job.ghost_group > 0 ? KindOf<BatchNorm>() : KindOf<NoNorm>()));
  Rng weight_rng(seed ^ 0x9E3779B97F4A7C15ull);  // the same weights for every net of a seed
  net.InitWeights(weight_rng);

  Rng order_rng(seed);
  std::vector<int> order(static_cast<std::size_t>(subset.train_size()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  order_rng.Shuffle(order);
  const int m = options.batch_size;
  Matrix batch_x(subset.features(), m);  // (features, m)
  Labels batch_y(static_cast<std::size_t>(m));
  std::size_t cursor = 0;
  for (long step = 0; step < options.steps; ++step) {
    if (cancel != nullptr && cancel->load()) return;
    if (cursor + static_cast<std::size_t>(m) > order.size()) {
      order_rng.Shuffle(order);
      cursor = 0;
    }
    const int* batch = order.data() + cursor;
    subset.train_x.Gather(batch, m, &batch_x);
    for (int i = 0; i < m; ++i)
      batch_y[static_cast<std::size_t>(i)] = subset.train_y[static_cast<std::size_t>(batch[i])];
    cursor += static_cast<std::size_t>(m);
    const Scalar loss = net.ForwardTrain(batch_x, batch_y.data(), nullptr);
    if (!std::isfinite(loss)) break;
    net.Backward(batch_x, batch_y.data());
    net.UpdateRunningStats(m);
    net.SgdStep(base.optimizer);
  }
  if (net.uses_batch_statistics()) net.ComputePopulationStats(subset.train_x);
  Workspace<Scalar> ws;
  job.train_accuracy = Accuracy(net, subset.train_x, subset.train_y, ws);
  job.test_accuracy = Accuracy(net, subset.test_x, subset.test_y, ws);
}

}  // namespace

GhostExperimentResult RunGhostExperiment(const Dataset& data, const TrainConfig& base,
                                         const GhostExperimentOptions& options,
                                         const std::function<void(int, int)>& progress,
                                         const std::atomic<bool>* cancel) {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument(message);
  };
  require(options.seeds >= 1, "seeds must be >= 1");
  require(options.steps >= 1, "steps must be >= 1");
  require(options.batch_size >= 1 && options.batch_size <= options.train_subset,
          "the batch (" + std::to_string(options.batch_size) + ") must fit in the training subset (" +
              std::to_string(options.train_subset) + ")");
  require(options.train_subset <= data.train_size(), "the training subset (" + std::to_string(options.train_subset) +
                                                         ") is larger than the training set (" +
                                                         std::to_string(data.train_size()) + ")");
  require(!options.ghost_groups.empty(), "give at least one ghost group size");
  for (int g : options.ghost_groups) {
    require(g >= 1 && g <= options.batch_size, "ghost group " + std::to_string(g) + " must be in [1, " +
                                                   std::to_string(options.batch_size) + "] (the batch)");
  }
  std::vector<int> groups = options.ghost_groups;
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());

  const std::vector<std::shared_ptr<const Dataset>> subsets =
      SeedSubsets(data, options.train_subset, base.seed, options.seeds);
  std::vector<Job> jobs;
  for (int s = 0; s < options.seeds; ++s) {
    jobs.push_back(Job{s, 0});
    for (int g : groups) jobs.push_back(Job{s, g});
  }

  RunSeedJobs(
      jobs, subsets, options.threads,
      [&](const std::shared_ptr<const Dataset>& subset, Job& job) { RunJob(*subset, base, options, job, cancel); },
      progress);

  GhostExperimentResult result;
  result.cancelled = cancel != nullptr && cancel->load();
  std::vector<int> settings = {0};
  settings.insert(settings.end(), groups.begin(), groups.end());
  for (int g : settings) {
    GhostExperimentRow row;
    row.net = g == 0 ? "plain" : "bn";
    row.ghost_group = g;
    for (const Job& job : jobs) {
      if (job.ghost_group != g) continue;
      row.train_accuracy.push_back(job.train_accuracy);
      row.test_accuracy.push_back(job.test_accuracy);
    }
    SummarizeSeeds(&row);
    result.rows.push_back(row);
  }
  return result;
}

std::string GhostExperimentVerdict(const GhostExperimentResult& result) {
  if (result.cancelled) return "Cancelled: no verdict.";
  const GhostExperimentRow* smallest = nullptr;
  const GhostExperimentRow* largest = nullptr;
  for (const GhostExperimentRow& row : result.rows) {
    if (row.ghost_group == 0) continue;
    if (smallest == nullptr) smallest = &row;
    largest = &row;
  }
  if (smallest == nullptr || smallest == largest) return "Needs two ghost group sizes to compare.";
  char text[512];
  const double shrink = 100.0 * (largest->gap_mean - smallest->gap_mean);  // points the gap shrinks at small g
  const double spread = 100.0 * SpreadOfDifference(smallest->gap_std, largest->gap_std);
  if (smallest->train_accuracy.size() < 2) {
    std::snprintf(text, sizeof(text),
                  "Train-test gap %.1f points with statistics over %d samples, %.1f over %d; one seed, so no spread "
                  "to judge it against.",
                  100.0 * smallest->gap_mean, smallest->ghost_group, 100.0 * largest->gap_mean, largest->ghost_group);
  } else if (!Differ(100.0 * largest->gap_mean, 100.0 * smallest->gap_mean, spread)) {
    std::snprintf(text, sizeof(text),
                  "The gap changes by %+.1f points from statistics over %d to over %d samples, within the spread "
                  "between seeds (%.1f points): on this network and subset the regularizing effect is too small to "
                  "measure.",
                  -shrink, largest->ghost_group, smallest->ghost_group, spread);
  } else if (shrink > 0.0) {
    std::snprintf(text, sizeof(text),
                  "Noisier statistics (over %d samples instead of %d) shrink the train-test gap by %.1f points, more "
                  "than the spread between seeds (%.1f points): here the noise regularizes.",
                  smallest->ghost_group, largest->ghost_group, shrink, spread);
  } else {
    std::snprintf(text, sizeof(text),
                  "Noisier statistics (over %d samples instead of %d) widen the train-test gap by %.1f points (seed "
                  "spread %.1f points): here the noise does not act as a regularizer.",
                  smallest->ghost_group, largest->ghost_group, -shrink, spread);
  }
  return text;
}

}  // namespace bnlab
