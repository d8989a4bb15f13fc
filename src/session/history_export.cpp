#include "session/history_export.h"

#include "report/train_csv.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace bnlab {
namespace {

// One History read in step order: the y of its point at each step asked for, if it has one.
// In a merged History a point stands for several steps: its x is the newest of them and its
// y their mean, so the row at that step gets the mean, and the steps before it get no cell.
class Cursor {
 public:
  explicit Cursor(const History* history = nullptr) : history_(history) {}

  const History* history() const { return history_; }

  // `step` must not decrease from call to call. Of several points at one step (a net probed
  // twice while paused), the newest.
  std::optional<double> At(double step) {
    std::optional<double> value;
    if (history_ == nullptr) return value;
    const History::Column<double> x = history_->x();
    for (; next_ < x.size() && x[next_] <= step; ++next_) {
      if (x[next_] == step) value = history_->y()[next_];
    }
    return value;
  }

 private:
  const History* history_;
  std::size_t next_ = 0;
};

// Every exported series of one net, a cursor per CSV column (none: the column stays empty).
struct NetSeries {
  NetId net = NetId::kLeft;
  Cursor train_loss, batch_acc, test_loss, test_acc;
  std::vector<Cursor> saturated, grad_norm, update_ratio;
  Cursor test_acc_batch, test_acc_running, test_acc_population;
  std::vector<Cursor> population_mean, population_var;
  Cursor landscape_loss_lo, landscape_loss_hi, grad_change_lo, grad_change_hi, smoothness;

  std::vector<Cursor*> All() {
    std::vector<Cursor*> all = {&train_loss,        &batch_acc,        &test_loss,           &test_acc,
                                &test_acc_batch,    &test_acc_running, &test_acc_population, &landscape_loss_lo,
                                &landscape_loss_hi, &grad_change_lo,   &grad_change_hi,      &smoothness};
    for (std::vector<Cursor>* layers : {&saturated, &grad_norm, &update_ratio, &population_mean, &population_var}) {
      for (Cursor& cursor : *layers) all.push_back(&cursor);
    }
    return all;
  }
};

NetSeries SeriesOf(const Snapshot& snapshot, NetId id) {
  const NetView& view = snapshot.net(id);
  NetSeries series;
  series.net = id;
  series.train_loss = Cursor(&view.train_loss);
  series.batch_acc = Cursor(&view.batch_accuracy);
  series.test_loss = Cursor(&view.test_loss);
  series.test_acc = Cursor(&view.test_accuracy);
  series.landscape_loss_lo = Cursor(&view.landscape.loss_lo);
  series.landscape_loss_hi = Cursor(&view.landscape.loss_hi);
  series.grad_change_lo = Cursor(&view.landscape.grad_change_lo);
  series.grad_change_hi = Cursor(&view.landscape.grad_change_hi);
  series.smoothness = Cursor(&view.landscape.smoothness);
  for (const LayerHistory& layer : view.layers) {
    series.saturated.emplace_back(&layer.saturated);
    series.grad_norm.emplace_back(&layer.grad_norm);
    series.update_ratio.emplace_back(&layer.update_ratio);
  }
  if (id == NetId::kLeft) {
    // Nothing to normalize: every way of evaluating it is its test accuracy.
    series.test_acc_batch = series.test_acc_running = series.test_acc_population = Cursor(&view.test_accuracy);
    return series;
  }
  const TestTimeView& test_time = snapshot.test_time;
  series.test_acc_batch = Cursor(&test_time.test_acc_batch);
  series.test_acc_running = Cursor(&test_time.test_acc_running);
  series.test_acc_population = Cursor(&test_time.test_acc_population);
  for (const History& history : test_time.population_mean) series.population_mean.emplace_back(&history);
  for (const History& history : test_time.population_var) series.population_var.emplace_back(&history);
  return series;
}

// The steps with a point in any of the net's series, ascending; none after a divergence.
std::vector<double> RowSteps(NetSeries& series, const NetView& view) {
  std::vector<double> steps;
  for (Cursor* cursor : series.All()) {
    if (cursor->history() == nullptr) continue;
    steps.insert(steps.end(), cursor->history()->x().begin(), cursor->history()->x().end());
  }
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  if (view.diverged) {
    const double last = static_cast<double>(view.diverged_at);
    steps.erase(std::upper_bound(steps.begin(), steps.end(), last), steps.end());
  }
  return steps;
}

// The learning rate and batch size step `step` trained with: the newest change made before
// it (the first marker, at step 0, for the untrained nets' row). Markers are oldest first.
ChangeMarker InForce(const Snapshot& snapshot, double step) {
  if (snapshot.changes.empty()) {
    return ChangeMarker{0, "", snapshot.config.optimizer.learning_rate, snapshot.config.batch_size};
  }
  ChangeMarker in_force = snapshot.changes.front();
  for (const ChangeMarker& change : snapshot.changes) {
    if (static_cast<double>(change.step) < step) in_force = change;
  }
  return in_force;
}

void ReadLayers(std::vector<Cursor>& cursors, double step, std::vector<std::optional<double>>* cells) {
  cells->resize(cursors.size());
  for (std::size_t layer = 0; layer < cursors.size(); ++layer) (*cells)[layer] = cursors[layer].At(step);
}

void WriteNetRow(const Snapshot& snapshot, double step, NetSeries& series, TrainCsv::Cells* cells, TrainCsv& csv) {
  cells->step = static_cast<long>(step);
  cells->net = series.net;
  cells->train_loss = series.train_loss.At(step);
  cells->batch_acc = series.batch_acc.At(step);
  cells->test_loss = series.test_loss.At(step);
  cells->test_acc = series.test_acc.At(step);
  const ChangeMarker in_force = InForce(snapshot, step);
  cells->learning_rate = in_force.learning_rate;
  cells->batch_size = in_force.batch_size;
  ReadLayers(series.saturated, step, &cells->saturated);
  ReadLayers(series.grad_norm, step, &cells->grad_norm);
  ReadLayers(series.update_ratio, step, &cells->update_ratio);
  cells->test_acc_batch = series.test_acc_batch.At(step);
  cells->test_acc_running = series.test_acc_running.At(step);
  cells->test_acc_population = series.test_acc_population.At(step);
  ReadLayers(series.population_mean, step, &cells->population_mean);
  ReadLayers(series.population_var, step, &cells->population_var);
  cells->landscape_loss_lo = series.landscape_loss_lo.At(step);
  cells->landscape_loss_hi = series.landscape_loss_hi.At(step);
  cells->grad_change_lo = series.grad_change_lo.At(step);
  cells->grad_change_hi = series.grad_change_hi.At(step);
  cells->smoothness = series.smoothness.At(step);
  csv.WriteCells(*cells);
}

}  // namespace

void ExportHistoriesCsv(const Snapshot& snapshot, const std::string& path) {
  std::size_t num_layers = 0;
  for (const NetView& view : snapshot.nets) num_layers = std::max(num_layers, view.layers.size());
  TrainCsv csv(path, static_cast<int>(num_layers),
               {ColumnLabel(snapshot.config, NetId::kLeft), ColumnLabel(snapshot.config, NetId::kRight)});
  std::array<NetSeries, 2> series = {SeriesOf(snapshot, NetId::kLeft), SeriesOf(snapshot, NetId::kRight)};
  std::array<std::vector<double>, 2> steps;
  std::vector<double> all_steps;
  for (std::size_t i = 0; i < 2; ++i) {
    steps[i] = RowSteps(series[i], snapshot.net(series[i].net));
    all_steps.insert(all_steps.end(), steps[i].begin(), steps[i].end());
  }
  std::sort(all_steps.begin(), all_steps.end());
  all_steps.erase(std::unique(all_steps.begin(), all_steps.end()), all_steps.end());
  // At each step the plain row, then the BN row, as train --csv orders them.
  std::array<std::size_t, 2> next = {0, 0};
  TrainCsv::Cells cells;
  for (const double step : all_steps) {
    for (std::size_t i = 0; i < 2; ++i) {
      if (next[i] == steps[i].size() || steps[i][next[i]] != step) continue;
      WriteNetRow(snapshot, step, series[i], &cells, csv);
      ++next[i];
    }
  }
  csv.Close();
}

}  // namespace bnlab
