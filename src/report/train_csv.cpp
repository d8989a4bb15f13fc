#include "report/train_csv.h"

#include "engine/float_text.h"

#include <charconv>
#include <cmath>

namespace bnlab {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
// Significant digits per number: float-precision results, so more would only be noise.
constexpr int kDigits = 7;

// source->*field, or no value (an empty cell) without a source.
template <typename Source, typename Field>
std::optional<double> Figure(const Source* source, Field Source::*field) {
  if (source == nullptr) return std::nullopt;
  return static_cast<double>(source->*field);
}

constexpr const char* kStep = "step";
constexpr const char* kNet = "net";
constexpr const char* kLearningRate = "lr";
constexpr const char* kBatch = "batch";

// The file's columns in order, the one list that both the header and every row are written
// from. A column is one cell (a figure, or one of the four above) or one cell per hidden
// layer, named with the layer's number appended ("saturated_l1").
struct Column {
  const char* name;
  std::optional<double> TrainCsv::Cells::*figure = nullptr;
  std::vector<std::optional<double>> TrainCsv::Cells::*per_layer = nullptr;
};
using Cells = TrainCsv::Cells;
const Column kColumns[] = {
    {kStep},
    {kNet},
    {"train_loss", &Cells::train_loss},
    {"batch_acc", &Cells::batch_acc},
    {"test_loss", &Cells::test_loss},
    {"test_acc", &Cells::test_acc},
    {kLearningRate},
    {kBatch},
    {"saturated_l", nullptr, &Cells::saturated},
    {"grad_norm_l", nullptr, &Cells::grad_norm},
    {"update_ratio_l", nullptr, &Cells::update_ratio},
    {"test_acc_batch", &Cells::test_acc_batch},
    {"test_acc_running", &Cells::test_acc_running},
    {"test_acc_population", &Cells::test_acc_population},
    {"running_mean_l", nullptr, &Cells::running_mean},
    {"running_var_l", nullptr, &Cells::running_var},
    {"population_mean_l", nullptr, &Cells::population_mean},
    {"population_var_l", nullptr, &Cells::population_var},
    {"landscape_loss_lo", &Cells::landscape_loss_lo},
    {"landscape_loss_hi", &Cells::landscape_loss_hi},
    {"grad_change_lo", &Cells::grad_change_lo},
    {"grad_change_hi", &Cells::grad_change_hi},
    {"smoothness", &Cells::smoothness},
};

}  // namespace

TrainCsv::TrainCsv(const std::string& path, int num_layers, const std::array<std::string, 2>& net_labels)
    : num_layers_(num_layers), net_labels_(net_labels) {
  try {
    file_ = std::make_unique<AtomicFile>(path);
  } catch (const FileWriteError& error) {
    throw OutputError(error.what());
  }
  buffer_.reserve(kFlushBytes + 4096);
  bool first = true;
  for (const Column& column : kColumns) {
    const int cells = column.per_layer != nullptr ? num_layers_ : 1;
    for (int layer = 1; layer <= cells; ++layer) {
      if (!first) buffer_ += ',';
      first = false;
      buffer_ += column.name;
      if (column.per_layer != nullptr) buffer_ += std::to_string(layer);
    }
  }
  buffer_ += '\n';
}

TrainCsv::~TrainCsv() = default;

void TrainCsv::AppendNumber(double value) {
  // NaN and ±inf come out as "nan", "inf", "-inf": how a diverged net's last row says so.
  // to_chars keeps a NaN's sign bit ("-nan"), which the format does not have.
  if (std::isnan(value)) {
    buffer_ += "nan";
    return;
  }
  char digits[32];
  const auto result = DoubleToChars(digits, digits + sizeof digits, value, kDigits);
  buffer_.append(digits, result.ptr);
}

void TrainCsv::AppendInteger(long value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  buffer_.append(digits, result.ptr);
}

void TrainCsv::AppendCell(const std::optional<double>& value) {
  buffer_ += ',';
  if (value) AppendNumber(*value);
}

void TrainCsv::AppendLayerCells(const std::vector<std::optional<double>>& values) {
  for (int layer = 0; layer < num_layers_; ++layer) {
    AppendCell(layer < static_cast<int>(values.size()) ? values[static_cast<std::size_t>(layer)] : std::nullopt);
  }
}

void TrainCsv::WriteRow(const Row& row) {
  Cells& cells = row_cells_;
  cells.step = row.step;
  cells.net = row.net;
  cells.train_loss = Figure(row.stats, &StepStats::loss);
  cells.batch_acc = Figure(row.stats, &StepStats::batch_accuracy);
  cells.test_loss = Figure(row.test, &TestResult::loss);
  cells.test_acc = Figure(row.test, &TestResult::accuracy);
  cells.learning_rate = row.learning_rate;
  cells.batch_size = row.batch_size;
  const std::size_t probed = row.probe != nullptr ? row.probe->layers.size() : 0;
  cells.saturated.resize(probed);
  cells.grad_norm.resize(probed);
  cells.update_ratio.resize(probed);
  for (std::size_t layer = 0; layer < probed; ++layer) {
    const LayerProbe& figures = row.probe->layers[layer];
    cells.saturated[layer] = figures.saturated_share;
    cells.grad_norm[layer] = figures.grad_norm;
    cells.update_ratio[layer] = figures.update_ratio;
  }
  cells.test_acc_batch = Figure(row.modes ? &row.modes->batch : nullptr, &TestResult::accuracy);
  cells.test_acc_running = Figure(row.modes ? &row.modes->running : nullptr, &TestResult::accuracy);
  cells.test_acc_population = Figure(row.modes ? &row.modes->population : nullptr, &TestResult::accuracy);
  // Element [0] of each pair is the mean, [1] the variance.
  auto unit_stats = [](const std::vector<std::array<double, 2>>* stats, std::size_t which,
                       std::vector<std::optional<double>>* column) {
    const std::size_t layers = stats != nullptr ? stats->size() : 0;
    column->resize(layers);
    for (std::size_t layer = 0; layer < layers; ++layer) (*column)[layer] = (*stats)[layer][which];
  };
  unit_stats(row.running, 0, &cells.running_mean);
  unit_stats(row.running, 1, &cells.running_var);
  unit_stats(row.population, 0, &cells.population_mean);
  unit_stats(row.population, 1, &cells.population_var);
  const bool landscape = row.landscape != nullptr && row.landscape->finite_steps > 0;
  cells.landscape_loss_lo = landscape ? std::optional<double>(row.landscape->loss_lo) : std::nullopt;
  cells.landscape_loss_hi = landscape ? std::optional<double>(row.landscape->loss_hi) : std::nullopt;
  cells.grad_change_lo = landscape ? std::optional<double>(row.landscape->grad_change_lo) : std::nullopt;
  cells.grad_change_hi = landscape ? std::optional<double>(row.landscape->grad_change_hi) : std::nullopt;
  cells.smoothness = landscape ? std::optional<double>(row.landscape->smoothness) : std::nullopt;
  WriteCells(cells);
}

void TrainCsv::WriteCells(const Cells& cells) {
  for (const Column& column : kColumns) {
    // Cells are written with the comma before them, but for the row's first, the step.
    if (column.figure != nullptr) {
      AppendCell(cells.*column.figure);
      continue;
    }
    if (column.per_layer != nullptr) {
      AppendLayerCells(cells.*column.per_layer);
      continue;
    }
    if (column.name != kStep) buffer_ += ',';
    if (column.name == kStep) {
      AppendInteger(cells.step);
    } else if (column.name == kNet) {
      buffer_ += net_labels_[static_cast<std::size_t>(cells.net)];
    } else if (column.name == kLearningRate) {
      AppendNumber(cells.learning_rate);
    } else {
      AppendInteger(cells.batch_size);
    }
  }
  buffer_ += '\n';
  if (buffer_.size() >= kFlushBytes) Flush();
}

void TrainCsv::Flush() {
  if (file_ == nullptr || buffer_.empty()) return;
  file_->Write(buffer_);
  buffer_.clear();
}

void TrainCsv::Close() {
  if (file_ == nullptr) return;
  Flush();
  const std::unique_ptr<AtomicFile> file = std::move(file_);
  try {
    file->Commit();
  } catch (const FileWriteError& error) {
    throw OutputError(error.what());
  }
}

}  // namespace bnlab
