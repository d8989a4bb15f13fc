// Fashion-MNIST from its four IDX files, a piece at a time (fashion_loader.h).
#include "engine/fashion_loader.h"

#include "engine/idx_file.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

namespace bnlab {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Fail(const std::string& path, const std::string& problem) { throw DataError(path + ": " + problem); }

// Pixels take only 256 values, so scaling (and standardizing) is one table lookup each.
using PixelTable = Samples::ByteTable;

PixelTable ScaledTable() {
  PixelTable table{};
  for (int value = 0; value < 256; ++value) table[value] = static_cast<Scalar>(value / 255.0);
  return table;
}

// One mean and one std over all training pixels (not per pixel: border pixels are always
// 0 and would divide by zero), found exactly from a histogram of the bytes. The test set
// is mapped through the same table, so it gets the training constants.
PixelTable StandardizedTable(const std::vector<unsigned char>& train_pixels) {
  std::array<std::uint64_t, 256> counts{};
  for (const unsigned char value : train_pixels) ++counts[value];
  const double n = static_cast<double>(train_pixels.size());
  double mean = 0.0;
  for (int value = 0; value < 256; ++value) {
    mean += static_cast<double>(counts[value]) * (value / 255.0);
  }
  mean /= n;
  double variance = 0.0;
  for (int value = 0; value < 256; ++value) {
    const double deviation = value / 255.0 - mean;
    variance += static_cast<double>(counts[value]) * deviation * deviation;
  }
  const double std_dev = std::sqrt(variance / n);
  // Constant images: centring is all that can be done.
  const double inv_std = std_dev > 1e-12 ? 1.0 / std_dev : 1.0;
  PixelTable table{};
  for (int value = 0; value < 256; ++value) {
    table[value] = static_cast<Scalar>((value / 255.0 - mean) * inv_std);
  }
  return table;
}

// `held`: bytes the data loaded so far already takes.
void ExpectWithinBudget(const ImageFile& images, std::uint64_t held, std::uint64_t budget) {
  const std::uint64_t needed = held + images.load_bytes();
  if (needed <= budget) return;
  Fail(images.file.path(), "its header claims " + std::to_string(images.count) + " images of " +
                               std::to_string(images.rows) + "x" + std::to_string(images.cols) +
                               " pixels; loading them needs about " + FormatBytes(needed) +
                               " of memory, more than the " + FormatBytes(budget) + " one run may use on this machine");
}

// "2 700 000": digits in groups of three, as the README writes counts.
std::string GroupedCount(std::uint64_t count) {
  std::string digits = std::to_string(count);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), " ");
  return digits;
}

struct SplitFiles {
  const char* name;  // LoadProgress::split
  const char* images;
  const char* labels;
};
constexpr std::array<SplitFiles, 2> kSplits = {{
    {"training", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
    {"test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
}};

}  // namespace

// The split under way: 0 training, 1 test, 2 done. Each goes through its files' headers, its
// pixels chunk by chunk, then its labels and samples.
struct FashionLoader::State {
  std::string dir;
  bool standardize = false;
  std::uint64_t budget = 0;
  std::size_t chunk = 0;
  std::size_t split = 0;
  std::optional<ImageFile> images;  // the split's files, open while it is read
  std::optional<IdxFile> labels;
  std::vector<unsigned char> pixels;  // reserved for the split's pixels at its headers
  PixelTable table = ScaledTable();
  std::uint64_t held = 0;  // what the training split takes once loaded
  int train_rows = 0, train_cols = 0;
  Dataset data;

  std::string InDir(const char* name) const { return (fs::path(dir) / name).string(); }

  void OpenSplit() {
    const SplitFiles& files = kSplits[split];
    ImageFile opened = OpenImages(InDir(files.images));
    if (split == 1 && (opened.rows != train_rows || opened.cols != train_cols)) {
      Fail(opened.file.path(), "image size " + std::to_string(opened.rows) + "x" + std::to_string(opened.cols) +
                                   " differs from the training images' " + std::to_string(train_rows) + "x" +
                                   std::to_string(train_cols));
    }
    labels.emplace(OpenLabels(InDir(files.labels), opened));
    ExpectWithinBudget(opened, held, budget);
    pixels.clear();
    pixels.shrink_to_fit();
    pixels.reserve(static_cast<std::size_t>(opened.pixel_bytes()));
    images.emplace(std::move(opened));
  }

  // IDX stores each image contiguously, which is exactly one column of a column-major
  // (features, count) matrix: the bytes as read are the samples, nothing is converted.
  void FinishSplit() {
    images->file.ExpectEnd(pixels.size());
    Labels read = ReadLabels(*labels, images->count, kFashionClasses);
    const int features = images->rows * images->cols;
    if (split == 0) {
      train_rows = images->rows;
      train_cols = images->cols;
      if (standardize) table = StandardizedTable(pixels);
      held = images->load_bytes();
      data.train_y = std::move(read);
      data.train_x = Samples(features, std::move(pixels), table);
    } else {
      data.test_y = std::move(read);
      data.test_x = Samples(features, std::move(pixels), table);
    }
    pixels = {};
    images.reset();
    labels.reset();
    ++split;
  }
};

FashionLoader::FashionLoader(const std::string& dir, bool standardize, std::uint64_t memory_budget,
                             std::size_t chunk_bytes)
    : state_(std::make_unique<State>()) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    if (ec) Fail(dir, ec.message());  // there but not reachable: a symlink loop, no permission
    Fail(dir, std::string("directory not found; ") + kFashionInstallHint);
  }
  if (!fs::is_directory(dir, ec)) Fail(dir, std::string("is not a directory; ") + kFashionInstallHint);
  State& state = *state_;
  state.dir = dir;
  state.standardize = standardize;
  state.budget = memory_budget;
  state.chunk = std::max<std::size_t>(chunk_bytes, 1);
  state.data.name = "fashion";
  state.data.num_classes = kFashionClasses;
}

FashionLoader::~FashionLoader() = default;

bool FashionLoader::Advance() {
  State& state = *state_;
  if (done()) return true;
  if (!state.images) {
    state.OpenSplit();
  } else if (state.pixels.size() < state.images->pixel_bytes()) {
    state.images->file.ReadChunk(state.pixels, static_cast<std::size_t>(state.images->pixel_bytes()), state.chunk,
                                 "pixel data");
  } else {
    state.FinishSplit();
  }
  return done();
}

bool FashionLoader::done() const { return state_->split >= kSplits.size(); }

LoadProgress FashionLoader::progress() const {
  const State& state = *state_;
  LoadProgress progress;
  progress.split = kSplits[std::min(state.split, kSplits.size() - 1)].name;
  if (done()) {
    progress.images_done = progress.images_total = static_cast<std::uint64_t>(state.data.test_size());
  } else if (state.images) {
    progress.images_done = state.pixels.size() / state.images->image_bytes();
    progress.images_total = static_cast<std::uint64_t>(state.images->count);
  }
  return progress;
}

std::string FashionLoader::CancelledMessage() const {
  const State& state = *state_;
  if (!state.images) return state.dir + ": loading cancelled before the " + progress().split + " files were read";
  return state.images->file.path() + ": loading cancelled after " + std::to_string(state.pixels.size()) + " of " +
         std::to_string(state.images->pixel_bytes()) + " bytes of pixel data";
}

Dataset FashionLoader::Take() {
  if (!done()) throw std::logic_error("FashionLoader::Take before the load is done");
  return std::move(state_->data);
}

std::vector<std::string> FashionFileNames() {
  std::vector<std::string> names;
  for (const SplitFiles& files : kSplits) names.insert(names.end(), {files.images, files.labels});
  return names;
}

std::string LoadProgressText(const LoadProgress& progress) {
  const std::uint64_t percent = progress.images_total > 0 ? 100 * progress.images_done / progress.images_total : 0;
  return GroupedCount(progress.images_done) + " of " + GroupedCount(progress.images_total) + " " + progress.split +
         " images (" + std::to_string(percent) + "%)";
}

Dataset LoadFashionMnist(const std::string& dir, bool standardize, std::uint64_t memory_budget,
                         const LoadControl& control) {
  FashionLoader loader(dir, standardize, memory_budget);
  LoadProgress reported;
  for (;;) {
    if (control.cancel && control.cancel()) throw LoadCancelled(loader.CancelledMessage());
    const bool done = loader.Advance();
    // A report for a split's headers and for each chunk of its pixels: what has moved (nothing
    // between two splits, where the next one's count is not known yet).
    const LoadProgress now = loader.progress();
    const bool moved = std::strcmp(now.split, reported.split) != 0 || now.images_done != reported.images_done ||
                       now.images_total != reported.images_total;
    if (control.progress && moved && now.images_total > 0) control.progress(now);
    reported = now;
    if (done) return loader.Take();
  }
}

}  // namespace bnlab
