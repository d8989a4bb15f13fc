// Synthetic 2-D sets made from a seed, and the names of every dataset (Fashion-MNIST is read
// by engine/fashion_loader.cpp).
#include "engine/dataset.h"

#include "engine/random.h"

#include <array>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace bnlab {
namespace {

// Every kind is scaled so its points lie roughly in [-1.5, 1.5]².

constexpr double kPi = 3.14159265358979323846;

struct Point {
  double x = 0.0;
  double y = 0.0;
};

// CS231n's spiral: the radius grows linearly along an arm of 4 rad; the arms start at
// evenly spaced angles. Its noise is in the angle: 2·noise rad, which at the default
// noise 0.1 is CS231n's 0.2.
Point SpiralPoint(int label, int classes, double noise, Rng& rng) {
  const double radius = rng.Uniform();
  const double angle = 2.0 * kPi * label / classes + 4.0 * radius + 2.0 * noise * rng.Normal();
  return {1.5 * radius * std::sin(angle), 1.5 * radius * std::cos(angle)};
}

// Class 0 on the outer circle (radius 1), class 1 on the inner one (0.5), as in sklearn.
Point CirclePoint(int label, Rng& rng) {
  const double radius = label == 0 ? 1.0 : 0.5;
  const double angle = 2.0 * kPi * rng.Uniform();
  return {1.5 * radius * std::cos(angle), 1.5 * radius * std::sin(angle)};
}

// sklearn's make_moons, shifted so the pair is centred: x in [-1.5, 1.5], y in [-0.75, 0.75].
Point MoonPoint(int label, Rng& rng) {
  const double angle = kPi * rng.Uniform();
  if (label == 0) return {std::cos(angle) - 0.5, std::sin(angle) - 0.25};
  return {0.5 - std::cos(angle), 0.25 - std::sin(angle)};
}

// Uniform in the quadrants where sign(x)·sign(y) matches the label (1: same signs), which
// is uniform in [-1,1]² conditioned on the label, and keeps the classes balanced.
Point XorPoint(int label, Rng& rng) {
  const double x_sign = rng.Uniform() < 0.5 ? -1.0 : 1.0;
  const double y_sign = label == 1 ? x_sign : -x_sign;
  return {1.5 * x_sign * rng.Uniform(), 1.5 * y_sign * rng.Uniform()};
}

// Centres on a circle of radius 2, std 0.5, all halved to fit the common range.
Point BlobPoint(int label, int classes, Rng& rng) {
  const double angle = 2.0 * kPi * label / classes;
  const double x = 2.0 * std::cos(angle) + 0.5 * rng.Normal();
  const double y = 2.0 * std::sin(angle) + 0.5 * rng.Normal();
  return {0.5 * x, 0.5 * y};
}

Point SamplePoint(const SyntheticOptions& options, int label, int classes, Rng& rng) {
  Point point;
  switch (options.kind) {
    case SyntheticKind::kSpiral: return SpiralPoint(label, classes, options.noise, rng);
    case SyntheticKind::kCircles: point = CirclePoint(label, rng); break;
    case SyntheticKind::kMoons: point = MoonPoint(label, rng); break;
    case SyntheticKind::kXor: point = XorPoint(label, rng); break;
    case SyntheticKind::kBlobs: point = BlobPoint(label, classes, rng); break;
  }
  point.x += options.noise * rng.Normal();
  point.y += options.noise * rng.Normal();
  return point;
}

// Labels cycle through the classes (balanced, every class present once size ≥ classes)
// and land in shuffled columns, so any mini-batch mixes the classes.
void GenerateSplit(const SyntheticOptions& options, int classes, int size, Rng& rng, Samples* x, Labels* y) {
  std::vector<int> column_of(static_cast<std::size_t>(size));
  std::iota(column_of.begin(), column_of.end(), 0);
  rng.Shuffle(column_of);
  Matrix points(2, size);  // (2, size) one point per column
  y->assign(static_cast<std::size_t>(size), 0);
  for (int i = 0; i < size; ++i) {
    const int label = i % classes;
    const Point point = SamplePoint(options, label, classes, rng);
    const int column = column_of[static_cast<std::size_t>(i)];
    points(0, column) = static_cast<Scalar>(point.x);
    points(1, column) = static_cast<Scalar>(point.y);
    (*y)[static_cast<std::size_t>(column)] = label;
  }
  *x = Samples(std::move(points));
}

bool UsesClassOption(SyntheticKind kind) { return kind == SyntheticKind::kSpiral || kind == SyntheticKind::kBlobs; }

constexpr std::array<std::pair<SyntheticKind, const char*>, 5> kKindNames = {{
    {SyntheticKind::kSpiral, "spiral"},
    {SyntheticKind::kCircles, "circles"},
    {SyntheticKind::kMoons, "moons"},
    {SyntheticKind::kXor, "xor"},
    {SyntheticKind::kBlobs, "blobs"},
}};

}  // namespace

Dataset MakeSynthetic(const SyntheticOptions& options) {
  const std::string kind_name = SyntheticKindName(options.kind);
  const auto require = [&kind_name](bool ok, const std::string& problem) {
    if (!ok) throw std::invalid_argument("synthetic dataset '" + kind_name + "': " + problem);
  };
  require(kind_name != "unknown", "not a known kind");
  require(options.train_size > 0, "train size must be > 0, got " + std::to_string(options.train_size));
  require(options.test_size > 0, "test size must be > 0, got " + std::to_string(options.test_size));
  std::ostringstream noise;
  noise << options.noise;
  require(std::isfinite(options.noise) && options.noise >= 0.0,
          "noise must be a finite number >= 0, got " + noise.str());
  require(!UsesClassOption(options.kind) || options.classes >= 2,
          "needs at least 2 classes, got " + std::to_string(options.classes));

  Dataset data;
  data.name = kind_name;
  data.num_classes = UsesClassOption(options.kind) ? options.classes : 2;
  // One stream for both splits: the test points are fresh draws, never copies of training ones.
  Rng rng(options.seed);
  GenerateSplit(options, data.num_classes, options.train_size, rng, &data.train_x, &data.train_y);
  GenerateSplit(options, data.num_classes, options.test_size, rng, &data.test_x, &data.test_y);
  return data;
}

bool ParseSyntheticKind(const std::string& name, SyntheticKind* kind) {
  for (const auto& [value, text] : kKindNames) {
    if (name == text) {
      *kind = value;
      return true;
    }
  }
  return false;
}

const char* SyntheticKindName(SyntheticKind kind) {
  for (const auto& [value, text] : kKindNames) {
    if (kind == value) return text;
  }
  return "unknown";
}

const std::vector<std::string>& DatasetNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all{"fashion"};
    for (const auto& [value, text] : kKindNames) all.emplace_back(text);
    return all;
  }();
  return names;
}

std::string DatasetNameList(bool synthetic_only) {
  const std::vector<std::string>& names = DatasetNames();
  const std::size_t first = synthetic_only ? 1 : 0;
  std::string list;
  for (std::size_t i = first; i < names.size(); ++i) {
    list += (i == first ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return list;
}

}  // namespace bnlab
