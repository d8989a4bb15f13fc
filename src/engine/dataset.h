// Datasets: Fashion-MNIST from IDX .gz files, and synthetic 2-D sets made from a seed.
#pragma once

#include "engine/memory_estimate.h"
#include "engine/samples.h"
#include "engine/types.h"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bnlab {

// Bad input from outside (a missing, truncated or corrupt file). The message names
// the file, what is wrong, and a hint.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by a load asked to stop through LoadControl::cancel: nothing it read is kept. Not a
// DataError: the files are fine, someone wanted other data (or closed the window).
class LoadCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How far a Fashion-MNIST load is: the images of one split read so far, of its count.
struct LoadProgress {
  const char* split = "training";  // "training", then "test"
  std::uint64_t images_done = 0;
  std::uint64_t images_total = 0;
};

// "1 200 000 of 2 700 000 training images (44%)": what the GUI's loading screen and the
// headless commands' progress lines say.
std::string LoadProgressText(const LoadProgress& progress);

// What a caller sees of a long load and how it stops it: `progress` after a split's headers
// and after every chunk of its decompressed pixels (16 MB: well under a second), `cancel` before
// every piece (true: LoadCancelled). Both run on the loading thread; `cancel` may read a flag
// another thread sets (a newer request, Ctrl+C).
struct LoadControl {
  std::function<void(const LoadProgress&)> progress;
  std::function<bool()> cancel;
};

struct Dataset {
  std::string name;  // "fashion", "spiral", ...
  int num_classes = 0;
  Samples train_x;  // (features, n_train) one sample per column
  Labels train_y;   // (n_train) class index per sample
  Samples test_x;   // (features, n_test) held out, never trained on
  Labels test_y;    // (n_test)

  int features() const { return train_x.features(); }
  int train_size() const { return train_x.size(); }
  int test_size() const { return test_x.size(); }
};

enum class SyntheticKind { kSpiral, kCircles, kMoons, kXor, kBlobs };

struct SyntheticOptions {
  SyntheticKind kind = SyntheticKind::kSpiral;
  int train_size = 2000;  // samples in the training split
  int test_size = 1000;   // samples in the held-out test split
  double noise = 0.1;     // standard deviation of the Gaussian jitter, in data units
  int classes = 3;        // used by spiral and blobs; circles, moons, xor are 2-class
  std::uint64_t seed = 1;
};

// The directory that the Debian package dataset-fashion-mnist installs.
inline constexpr const char* kDefaultFashionDir = "/usr/share/datasets/fashion-mnist";
// The published Fashion-MNIST: 60 000 training and 10 000 test images of 28×28, 10 classes.
// Files in another directory may hold other counts and sizes; the classes are always 10.
inline constexpr int kFashionTrainSize = 60000;
inline constexpr int kFashionTestSize = 10000;
inline constexpr int kFashionFeatures = 28 * 28;
inline constexpr int kFashionClasses = 10;
// A pixel is held as its byte (Samples::value_bytes() of a loaded set): what the memory
// estimate counts before anything is loaded.
inline constexpr int kFashionValueBytes = 1;

// Reads (engine/fashion_loader.h: a piece at a time) train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
// t10k-labels-idx1-ubyte.gz from `dir`. Pixels are kept as bytes (Samples), read as floats
// scaled to [0,1]; with `standardize`, each pixel is then shifted and scaled by the training
// set's overall mean and std (one pair for every pixel: the table maps a byte the same way
// wherever it is).
// Throws DataError naming the file on any problem. Before any large allocation, each
// header's counts are checked against the other file of the pair, against what a file of
// its size can hold, and against `memory_budget` (bytes this load may take). The pixels are
// decompressed straight into the buffer the Samples keep (their bytes once, no second copy);
// `control` reports the images read and stops the load (LoadCancelled) between chunks.
Dataset LoadFashionMnist(const std::string& dir, bool standardize = false,
                         std::uint64_t memory_budget = MemoryBudgetBytes(), const LoadControl& control = {});

// Generates a synthetic 2-D set (features = 2) deterministically from options.seed.
Dataset MakeSynthetic(const SyntheticOptions& options);

// "spiral" -> kSpiral etc.; returns false for an unknown name.
bool ParseSyntheticKind(const std::string& name, SyntheticKind* kind);
const char* SyntheticKindName(SyntheticKind kind);

// Every dataset a config may name, Fashion-MNIST first: "fashion", "spiral", "circles", ...
// (the settings' choices, the GUI's dataset box, the messages below).
const std::vector<std::string>& DatasetNames();
// "fashion, spiral, circles, moons, xor or blobs"; without Fashion-MNIST for the synthetic
// sets alone: "spiral, circles, moons, xor or blobs".
std::string DatasetNameList(bool synthetic_only = false);

}  // namespace bnlab
