// Data shaped like Fashion-MNIST (784 inputs, 10 classes), so benchmarks need no files;
// the real set when it is installed.
#pragma once

#include "engine/dataset.h"
#include "engine/random.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace bnlab {

inline std::shared_ptr<const Dataset> BenchData() {
  if (std::filesystem::exists(std::string(kDefaultFashionDir) + "/train-images-idx3-ubyte.gz")) {
    return std::make_shared<const Dataset>(LoadFashionMnist(kDefaultFashionDir));
  }
  auto data = std::make_shared<Dataset>();
  data->name = "random-784";
  data->num_classes = 10;
  // Bytes read through Fashion-MNIST's [0,1] table, as the real set is stored.
  Rng rng(1);
  std::vector<std::uint8_t> pixels(784 * 6000);
  for (std::uint8_t& pixel : pixels) pixel = static_cast<std::uint8_t>(rng.Below(256));
  Samples::ByteTable table{};
  for (int value = 0; value < 256; ++value) table[static_cast<std::size_t>(value)] = static_cast<Scalar>(value / 255.0);
  data->train_x = Samples(784, std::move(pixels), table);
  data->train_y.resize(6000);
  for (int i = 0; i < 6000; ++i) data->train_y[static_cast<std::size_t>(i)] = i % 10;
  std::vector<int> first(1000);
  for (int i = 0; i < 1000; ++i) first[static_cast<std::size_t>(i)] = i;
  data->test_x = data->train_x.Select(first.data(), 1000);
  data->test_y.assign(data->train_y.begin(), data->train_y.begin() + 1000);
  return data;
}

}  // namespace bnlab
