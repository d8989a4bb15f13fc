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
  if (thread_.joinable()) return;
  if (!kThreadsAvailable) {
    // A hundred runs take a minute of CPU: on the page's one thread they would stop the
    // training and the page. Said where the sweep's result would show.
    view.error =
        "it is not available in the browser (it needs a thread of its own): run bnlab on the desktop, or bnlab "
        "noise --batch-sweep, for it.";
    return;
  }
  const BatchSweepOptions options = GuiBatchSweepOptions(*data, config);
  cancel_ = false;
  finished_ = false;
  done_ = 0;
  total_ = options.seeds * static_cast<int>(options.rules.size() * options.batch_sizes.size());
  view.running = true;
  view.done = 0;
  view.total = total_;
  view.options = options;
  view.error.clear();
  thread_ = std::thread([this, options, config, data] {
    try {
      result_ = RunBatchSweep(
          *data, config, options,
          [this](int done, int total) {
            done_ = done;
            total_ = total;
          },
          &cancel_);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    finished_ = true;
  });
}

void BatchSweepRun::Stop(BatchSweepView* view) {
  if (!thread_.joinable()) return;
  cancel_ = true;
  thread_.join();
  finished_ = false;
  error_.clear();
  if (view != nullptr) view->running = false;
}

bool BatchSweepRun::Collect(BatchSweepView& view) {
  if (!view.running) return false;
  const bool progressed = view.done != done_ || view.total != total_;
  view.done = done_;
  view.total = total_;
  if (!finished_) return progressed;
  thread_.join();
  finished_ = false;
  view.running = false;
  if (!error_.empty()) {
    view.error = std::move(error_);
    error_.clear();
    return true;
  }
  view.result = std::make_shared<const BatchSweepResult>(std::move(result_));
  return true;
}

}  // namespace bnlab
