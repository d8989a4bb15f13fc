#include "engine/batch_sweep.h"

#include "engine/parallel_jobs.h"
#include "engine/seed_stats.h"
#include "engine/trainer.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace bnlab {
namespace {

struct Job {
  int seed_index = 0;
  LrRule rule = LrRule::kSame;
  int batch_size = 0;
  std::array<double, 2> train_accuracy{}, test_accuracy{};  // by NetId
  std::array<bool, 2> diverged{};
};

// One run: the twins at batch m for the budget's steps, then each net's accuracy on the subset
// and on the test set, in eval mode with the subset's population statistics.
void RunJob(std::shared_ptr<const Dataset> subset, const TrainConfig& base, const BatchSweepOptions& options, Job& job,
            const std::atomic<bool>* cancel) {
  TrainConfig config = base;
  config.seed = base.seed + static_cast<std::uint64_t>(job.seed_index);
  config.batch_size = job.batch_size;
  config.optimizer.learning_rate = SweepLearningRate(job.rule, job.batch_size, base.optimizer.learning_rate, options);
  config.eval_stats = EvalStats::kPopulation;
  TwinTrainer trainer(subset, config);
  const long steps = SweepSteps(job.batch_size, options);
  for (long step = 0; step < steps; ++step) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
    trainer.Step();
  }
  Workspace<Scalar> ws;
  for (NetId id : kNets) {
    const std::size_t i = static_cast<std::size_t>(id);
    job.diverged[i] = trainer.diverged(id);
    job.test_accuracy[i] = trainer.Evaluate(id).accuracy;  // population statistics computed here
    const Network<Scalar>& net = trainer.net(id);
    const Normalization normalization =
        net.uses_batch_statistics() ? Normalization::kPopulation : Normalization::kRunning;
    job.train_accuracy[i] =
        EvaluateNet(net, subset->train_x, subset->train_y, normalization, job.batch_size, ws).accuracy;
  }
}

// Small batches take the most steps: started first, they do not leave one thread alone at the end.
long JobCost(const Job& job, const BatchSweepOptions& options) {
  return SweepSteps(job.batch_size, options) * (64 + job.batch_size);
}

// m·η₁, η₁ = η / reference_batch, before the cap.
double ScaledLearningRate(int m, double base_lr, const BatchSweepOptions& options) {
  return static_cast<double>(m) * base_lr / static_cast<double>(options.reference_batch);
}

}  // namespace

const char* LrRuleName(LrRule rule) { return rule == LrRule::kSame ? "same" : "scaled"; }

bool ParseLrRule(const std::string& name, LrRule* rule) {
  for (LrRule r : {LrRule::kSame, LrRule::kScaled}) {
    if (name == LrRuleName(r)) {
      *rule = r;
      return true;
    }
  }
  return false;
}

std::string LrRuleNameList() { return std::string(LrRuleName(LrRule::kSame)) + ", " + LrRuleName(LrRule::kScaled); }

double SweepLearningRate(LrRule rule, int m, double base_lr, const BatchSweepOptions& options) {
  if (rule == LrRule::kSame) return base_lr;
  return std::min(ScaledLearningRate(m, base_lr, options), options.lr_cap);
}

bool SweepLearningRateCapped(LrRule rule, int m, double base_lr, const BatchSweepOptions& options) {
  return rule == LrRule::kScaled && ScaledLearningRate(m, base_lr, options) > options.lr_cap;
}

long SweepSteps(int m, const BatchSweepOptions& options) {
  const long long budget = static_cast<long long>(options.epochs) * options.train_subset;
  return std::max(1L, static_cast<long>((budget + m / 2) / m));
}

void CheckBatchSweepOptions(const BatchSweepOptions& options, int train_size) {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument(message);
  };
  require(options.seeds >= 1, "seeds must be >= 1, got " + std::to_string(options.seeds));
  require(options.epochs >= 1, "epochs must be >= 1, got " + std::to_string(options.epochs));
  require(options.train_subset >= 1 && options.train_subset <= train_size,
          "the training subset (" + std::to_string(options.train_subset) + ") must be in [1, " +
              std::to_string(train_size) + "] (the training set)");
  require(!options.batch_sizes.empty(), "give at least one batch size");
  for (std::size_t i = 0; i < options.batch_sizes.size(); ++i) {
    const int m = options.batch_sizes[i];
    require(m >= 1 && m <= options.train_subset, "batch size " + std::to_string(m) + " must be in [1, " +
                                                     std::to_string(options.train_subset) + "] (the training subset)");
    // The message names the size before, so it is built only where there is one.
    if (i > 0) {
      require(m > options.batch_sizes[i - 1], "the batch sizes must be in ascending order, each once (" +
                                                  std::to_string(options.batch_sizes[i - 1]) + " before " +
                                                  std::to_string(m) + ")");
    }
  }
  require(!options.rules.empty(), "give at least one learning-rate rule (" + LrRuleNameList() + ")");
  require(options.reference_batch >= 1, "the reference batch must be >= 1");
  require(options.lr_cap > 0.0 && std::isfinite(options.lr_cap), "the learning-rate cap must be > 0");
}

BatchSweepResult RunBatchSweep(const Dataset& data, const TrainConfig& base, const BatchSweepOptions& options,
                               const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel) {
  CheckBatchSweepOptions(options, data.train_size());
  std::vector<LrRule> rules;
  for (LrRule rule : options.rules) {
    if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
  }
  // Every run's config must be valid before the first starts (a ghost-bn column's group above a
  // small m, a scaled η outside its range).
  for (LrRule rule : rules) {
    for (int m : options.batch_sizes) {
      TrainConfig config = base;
      config.batch_size = m;
      config.optimizer.learning_rate = SweepLearningRate(rule, m, base.optimizer.learning_rate, options);
      ValidateConfig(config);
    }
  }

  const std::vector<std::shared_ptr<const Dataset>> subsets =
      SeedSubsets(data, options.train_subset, base.seed, options.seeds);
  std::vector<Job> jobs;
  for (int s = 0; s < options.seeds; ++s) {
    for (LrRule rule : rules) {
      for (int m : options.batch_sizes) {
        Job job;
        job.seed_index = s;
        job.rule = rule;
        job.batch_size = m;
        jobs.push_back(job);
      }
    }
  }
  std::stable_sort(jobs.begin(), jobs.end(),
                   [&](const Job& a, const Job& b) { return JobCost(a, options) > JobCost(b, options); });
  RunSeedJobs(
      jobs, subsets, options.threads,
      [&](const std::shared_ptr<const Dataset>& subset, Job& job) { RunJob(subset, base, options, job, cancel); },
      progress);

  BatchSweepResult result;
  result.options = options;
  result.options.rules = rules;
  result.base_lr = base.optimizer.learning_rate;
  result.cancelled = cancel != nullptr && cancel->load();
  for (LrRule rule : rules) {
    for (NetId id : kNets) {
      for (int m : options.batch_sizes) {
        BatchSweepRow row;
        row.rule = rule;
        row.column = id;
        row.variant = ColumnVariant(base, id);
        row.net = VariantLabel(row.variant);
        row.batch_size = m;
        row.learning_rate = SweepLearningRate(rule, m, base.optimizer.learning_rate, options);
        row.capped = SweepLearningRateCapped(rule, m, base.optimizer.learning_rate, options);
        row.steps = SweepSteps(m, options);
        row.samples = static_cast<long long>(row.steps) * m;
        const std::size_t i = static_cast<std::size_t>(id);
        for (int s = 0; s < options.seeds; ++s) {  // in seed order, whatever order the jobs ran in
          for (const Job& job : jobs) {
            if (job.seed_index != s || job.rule != rule || job.batch_size != m) continue;
            row.train_accuracy.push_back(job.train_accuracy[i]);
            row.test_accuracy.push_back(job.test_accuracy[i]);
            row.diverged += job.diverged[i] ? 1 : 0;
          }
        }
        SummarizeSeeds(&row);
        result.rows.push_back(row);
      }
    }
  }
  return result;
}

std::vector<const BatchSweepRow*> SweepCurve(const BatchSweepResult& result, LrRule rule, NetId column) {
  std::vector<const BatchSweepRow*> curve;
  for (const BatchSweepRow& row : result.rows) {
    if (row.rule == rule && row.column == column) curve.push_back(&row);
  }
  return curve;
}

}  // namespace bnlab
