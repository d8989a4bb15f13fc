// Data shaped like Fashion-MNIST (784 inputs, 10 classes), so benchmarks need no files;
// the real set when it is installed.
#pragma once

#include "engine/dataset.h"
#include "engine/random.h"

#include <filesystem>
#include <memory>

namespace bnlab {

inline std::shared_ptr<const Dataset> BenchData() {
  if (std::filesystem::exists(std::string(kDefaultFashionDir) + "/train-images-idx3-ubyte.gz")) {
    return std::make_shared<const Dataset>(LoadFashionMnist(kDefaultFashionDir));
  }
  auto data = std::make_shared<Dataset>();
  data->name = "random-784";
  data->num_classes = 10;
  Rng rng(1);
  data->train_x = Matrix(784, 6000);
  for (Eigen::Index i = 0; i < data->train_x.size(); ++i) data->train_x.data()[i] = static_cast<float>(rng.Uniform());
  data->train_y.resize(6000);
  for (int i = 0; i < 6000; ++i) data->train_y[static_cast<std::size_t>(i)] = i % 10;
  data->test_x = data->train_x.leftCols(1000);
  data->test_y.assign(data->train_y.begin(), data->train_y.begin() + 1000);
  return data;
}

}  // namespace bnlab
