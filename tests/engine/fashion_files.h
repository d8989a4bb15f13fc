// Fashion-MNIST files for the loader's tests (dataset_test.cpp, fashion_loader_test.cpp): IDX
// files built in memory, written gzip-compressed or raw, and a fixture with a small valid set.
#pragma once

#include "engine/dataset.h"
#include "engine/random.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

namespace bnlab {
namespace fashion_files {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

inline constexpr const char* kTrainImages = "train-images-idx3-ubyte.gz";
inline constexpr const char* kTrainLabels = "train-labels-idx1-ubyte.gz";
inline constexpr const char* kTestImages = "t10k-images-idx3-ubyte.gz";
inline constexpr const char* kTestLabels = "t10k-labels-idx1-ubyte.gz";

// An IDX file: magic number and dimensions as big-endian 32-bit words, then the bytes.
inline Bytes Idx(std::uint32_t magic, std::vector<std::uint32_t> words, const Bytes& data) {
  words.insert(words.begin(), magic);
  Bytes out;
  for (const std::uint32_t word : words) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.push_back(static_cast<unsigned char>(word >> shift));
    }
  }
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

inline Bytes ImageFile(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, const Bytes& pixels,
                       std::uint32_t magic = 2051) {
  return Idx(magic, {count, rows, cols}, pixels);
}

inline Bytes LabelFile(std::uint32_t count, const Bytes& labels, std::uint32_t magic = 2049) {
  return Idx(magic, {count}, labels);
}

inline void WriteGz(const std::string& path, const Bytes& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr) << path;
  if (!bytes.empty()) {
    ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  }
  ASSERT_EQ(gzclose(file), Z_OK);
}

inline void WriteRaw(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

inline Bytes ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline Bytes RandomBytes(int count, std::uint64_t seed) {
  Rng rng(seed);
  Bytes bytes(static_cast<std::size_t>(count));
  for (unsigned char& byte : bytes) byte = static_cast<unsigned char>(rng.Below(256));
  return bytes;
}

// Deterministic pixels that include both 0 and 255 (image 0 holds 0 at pixel 0, 255 at 255).
inline Bytes Pixels(int count, int features, int offset) {
  Bytes pixels(static_cast<std::size_t>(count * features));
  for (std::size_t k = 0; k < pixels.size(); ++k) {
    const std::size_t image = k / static_cast<std::size_t>(features);
    const std::size_t pixel = k % static_cast<std::size_t>(features);
    pixels[k] = static_cast<unsigned char>((offset + 31 * image + pixel) % 256);
  }
  return pixels;
}

// Loads `dir`, expecting a DataError whose message starts with `path` and contains `problem`.
inline void ExpectDataError(const std::string& dir, const std::string& path, const std::string& problem) {
  try {
    LoadFashionMnist(dir);
    ADD_FAILURE() << "expected a DataError about " << path << ": " << problem;
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(path + ": ", 0), 0U) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
  }
}

inline void ExpectDataErrorWithBudget(const std::string& dir, const std::string& path, const std::string& problem,
                                      std::uint64_t budget) {
  try {
    LoadFashionMnist(dir, false, budget);
    ADD_FAILURE() << "expected a DataError about " << path << ": " << problem;
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(path + ": ", 0), 0U) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
  }
}

// A small valid set (5 training and 3 test images of 28×28 as .gz IDX files) in a fresh
// directory named after the test and the process, removed afterwards.
class FashionFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("bnlab_dataset_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    WriteGz(File(kTrainImages), ImageFile(5, 28, 28, train_pixels_));
    WriteGz(File(kTrainLabels), LabelFile(5, train_labels_));
    WriteGz(File(kTestImages), ImageFile(3, 28, 28, test_pixels_));
    WriteGz(File(kTestLabels), LabelFile(3, test_labels_));
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Dir() const { return dir_.string(); }
  std::string File(const char* name) const { return (dir_ / name).string(); }
  void ExpectError(const char* file, const std::string& problem) const { ExpectDataError(Dir(), File(file), problem); }

  fs::path dir_;
  Bytes train_pixels_ = Pixels(5, 784, 0);
  Bytes test_pixels_ = Pixels(3, 784, 100);
  Bytes train_labels_ = {3, 1, 4, 1, 5};
  Bytes test_labels_ = {9, 2, 6};
};

}  // namespace fashion_files
}  // namespace bnlab
