#include "session/batch_sweep_run.h"

#include "engine/platform.h"

#include <algorithm>
#include <exception>

namespace bnlab {

BatchSweepOptions GuiBatchSweepOptions(const Dataset& data, const TrainConfig& config) {
  BatchSweepOptions options;
  options.train_subset = std::min(options.train_subset, data.train_size());
  std::vector<int> sizes;
  for (int m : options.batch_sizes) {
    if (m <= options.train_subset) sizes.push_back(m);
  }
  options.batch_sizes = sizes;
  options.reference_batch = config.batch_size;
  return options;
}

void BatchSweepRun::Start(std::shared_ptr<const Dataset> data, const TrainConfig& config, BatchSweepView& view) {
  if (run_.started()) return;
  if (!kThreadsAvailable) {
    // A hundred runs take a minute of CPU: on the page's one thread they would stop the
    // training and the page. Said where the sweep's result would show.
    view.error =
        "it is not available in the browser (it needs a thread of its own): run bnlab on the desktop, or bnlab "
        "noise --batch-sweep, for it.";
    return;
  }
  const BatchSweepOptions options = GuiBatchSweepOptions(*data, config);
  const int total = options.seeds * static_cast<int>(options.rules.size() * options.batch_sizes.size());
  view.running = true;
  view.done = 0;
  view.total = total;
  view.options = options;
  view.error.clear();
  run_.Start(total, [options, config, data](const auto& progress, const std::atomic<bool>* cancel) {
    return RunBatchSweep(*data, config, options, progress, cancel);
  });
}

void BatchSweepRun::Stop(BatchSweepView* view) {
  if (!run_.started()) return;
  run_.Stop();
  if (view != nullptr) view->running = false;
}

bool BatchSweepRun::Collect(BatchSweepView& view) {
  if (!view.running) return false;
  const bool progressed = view.done != run_.done() || view.total != run_.total();
  view.done = run_.done();
  view.total = run_.total();
  if (!run_.finished()) return progressed;
  view.running = false;
  BatchSweepResult result;
  if (!run_.Collect(&result, &view.error)) return true;
  view.result = std::make_shared<const BatchSweepResult>(std::move(result));
  return true;
}

}  // namespace bnlab
