#include "cli/train_csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

namespace bnlab {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
// Significant digits per number: float-precision results, so more would only be noise.
constexpr int kDigits = 7;

}  // namespace

TrainCsv::TrainCsv(const std::string& path, int num_layers) : path_(path), num_layers_(num_layers) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    throw OutputError("cannot write CSV file '" + path + "': " + std::strerror(errno));
  }
  buffer_.reserve(kFlushBytes + 4096);
  buffer_ += "step,net,train_loss,batch_acc,test_loss,test_acc,lr,batch";
  auto per_layer = [&](std::initializer_list<const char*> columns) {
    for (const char* column : columns) {
      for (int layer = 1; layer <= num_layers_; ++layer) {
        buffer_ += ',';
        buffer_ += column;
        buffer_ += std::to_string(layer);
      }
    }
  };
  per_layer({"saturated_l", "grad_norm_l", "update_ratio_l"});
  buffer_ += ",test_acc_batch,test_acc_running,test_acc_population";
  per_layer({"running_mean_l", "running_var_l", "population_mean_l", "population_var_l"});
  buffer_ += '\n';
}

TrainCsv::~TrainCsv() {
  try {
    Close();
  } catch (const OutputError&) {
    // Close() was not called explicitly, so nobody is waiting for the error.
  }
}

void TrainCsv::AppendNumber(double value) {
  // NaN and ±inf come out as "nan", "inf", "-inf": how a diverged net's last row says so.
  // to_chars keeps a NaN's sign bit ("-nan"), which the format does not have.
  if (std::isnan(value)) {
    buffer_ += "nan";
    return;
  }
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::general, kDigits);
  buffer_.append(digits, result.ptr);
}

void TrainCsv::AppendInteger(long value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  buffer_.append(digits, result.ptr);
}

void TrainCsv::WriteRow(const Row& row) {
  AppendInteger(row.step);
  buffer_ += ',';
  buffer_ += NetName(row.net);
  buffer_ += ',';
  AppendNumber(row.stats->loss);
  buffer_ += ',';
  AppendNumber(row.stats->batch_accuracy);
  buffer_ += ',';
  if (row.test != nullptr) AppendNumber(row.test->loss);
  buffer_ += ',';
  if (row.test != nullptr) AppendNumber(row.test->accuracy);
  buffer_ += ',';
  AppendNumber(row.learning_rate);
  buffer_ += ',';
  AppendInteger(row.batch_size);
  // Three groups of per-layer columns; empty cells when this is not a probe step.
  for (int group = 0; group < 3; ++group) {
    for (int layer = 0; layer < num_layers_; ++layer) {
      buffer_ += ',';
      if (row.probe == nullptr || layer >= static_cast<int>(row.probe->layers.size())) continue;
      const LayerProbe& figures = row.probe->layers[static_cast<std::size_t>(layer)];
      AppendNumber(group == 0 ? figures.saturated_share : group == 1 ? figures.grad_norm : figures.update_ratio);
    }
  }
  for (TestResult TestModes::*mode : {&TestModes::batch, &TestModes::running, &TestModes::population}) {
    buffer_ += ',';
    if (row.modes != nullptr) AppendNumber((row.modes->*mode).accuracy);
  }
  for (const std::vector<std::array<double, 2>>* stats : {row.running, row.population}) {
    for (std::size_t which = 0; which < 2; ++which) {
      for (int layer = 0; layer < num_layers_; ++layer) {
        buffer_ += ',';
        if (stats != nullptr && layer < static_cast<int>(stats->size())) AppendNumber((*stats)[static_cast<std::size_t>(layer)][which]);
      }
    }
  }
  buffer_ += '\n';
  if (buffer_.size() >= kFlushBytes) Flush();
}

void TrainCsv::Flush() {
  if (file_ == nullptr || buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) write_failed_ = true;
  buffer_.clear();
}

void TrainCsv::Close() {
  if (file_ == nullptr) return;
  Flush();
  const bool close_failed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (write_failed_ || close_failed) {
    throw OutputError("cannot write CSV file '" + path_ + "': " + std::strerror(errno));
  }
}

}  // namespace bnlab
