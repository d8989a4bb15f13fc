// libFuzzer target: the Fashion-MNIST IDX reader on arbitrary files. The input is split into
// the four files of a data directory at the separator "|FILE|" (missing parts are empty
// files), so one input can pair a forged image header with a label file that agrees with
// it. Loading ends in a Dataset or a DataError, within a small memory budget.
#include "engine/dataset.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;

constexpr const char* kFiles[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                  "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
constexpr std::string_view kSeparator = "|FILE|";
// Far below libFuzzer's default RSS limit of 2 GB.
constexpr std::uint64_t kBudget = std::uint64_t{256} << 20;

const fs::path& Dir() {
  static const fs::path dir = [] {
    fs::path path = fs::temp_directory_path() / ("bnlab_fuzz_idx_" + std::to_string(getpid()));
    fs::create_directories(path);
    return path;
  }();
  return dir;
}

void Write(const fs::path& path, std::string_view bytes) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return;
  std::fwrite(bytes.data(), 1, bytes.size(), file);
  std::fclose(file);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (const char* name : kFiles) {
    const std::size_t end = rest.find(kSeparator);
    Write(Dir() / name, rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + kSeparator.size());
  }
  try {
    bnlab::LoadFashionMnist(Dir().string(), /*standardize=*/size % 2 == 1, kBudget);
  } catch (const bnlab::DataError&) {
    // The expected outcome for almost every input.
  }
  return 0;
}
