// Datasets: Fashion-MNIST from IDX .gz files, and synthetic 2-D sets made from a seed.
#include "engine/dataset.h"

#include "engine/random.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <sstream>
#include <vector>

namespace bnlab {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------
// IDX files (http://yann.lecun.com/exdb/mnist/): a big-endian header, then raw bytes.

constexpr std::uint32_t kImageMagic = 2051;  // 0x00000803: unsigned bytes, 3 dimensions
constexpr std::uint32_t kLabelMagic = 2049;  // 0x00000801: unsigned bytes, 1 dimension
// Deflate cannot expand data by more than about 1032:1 (a 258-byte match per bit pair at
// best), so a gzip file of n bytes holds at most this many times n bytes.
constexpr std::uint64_t kMaxInflateRatio = 1032;
constexpr const char* kInstallHint = "install the Debian package dataset-fashion-mnist or pass --data-dir";

[[noreturn]] void Fail(const std::string& path, const std::string& problem) { throw DataError(path + ": " + problem); }

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};

// gzread reads a file without a gzip header transparently, so uncompressed IDX files
// load too; garbage then fails on the magic number instead.
class GzReader {
 public:
  explicit GzReader(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    if (!fs::exists(path_, ec)) {
      if (ec) Fail(path_, ec.message());  // there but not reachable: a symlink loop, no permission
      Fail(path_, std::string("file not found; the directory must hold the four Fashion-MNIST "
                              "IDX .gz files (") +
                      kInstallHint + ")");
    }
    if (fs::is_directory(path_, ec)) Fail(path_, "is a directory, expected an IDX .gz file");
    errno = 0;
    file_.reset(gzopen(path_.c_str(), "rb"));
    if (!file_) {
      Fail(path_, std::string("cannot open: ") + (errno != 0 ? std::strerror(errno) : "out of memory"));
    }
  }

  const std::string& path() const { return path_; }

  // After the header was read: fails unless a file of this size can hold `total` bytes once
  // decompressed, so a forged count is caught before anything is allocated or inflated.
  void ExpectRoomFor(std::uint64_t total, const std::string& claim) {
    std::error_code ec;
    const std::uint64_t size = fs::file_size(path_, ec);
    if (ec) return;  // not a regular file (a pipe): the chunked reads still bound memory
    if (gzdirect(file_.get()) == 1) {
      if (total > size) {
        Fail(path_, "truncated: the header claims " + claim + " (" + std::to_string(total) +
                        " bytes with the header) but the file has " + std::to_string(size) + " bytes");
      }
    } else if (total / kMaxInflateRatio > size) {
      Fail(path_, "the header claims " + claim + " (" + std::to_string(total) + " bytes) but a gzip file of " +
                      std::to_string(size) + " bytes holds at most " + std::to_string(kMaxInflateRatio) +
                      " times that: the header is damaged or the file was cut off");
    }
  }

  // Decompresses `count` bytes in chunks into a buffer reserved once for all of them: its pages
  // are touched only as they are filled (so a header that promises more than the file holds
  // fails before that much memory is used), nothing is copied as it grows, and it is the
  // buffer the data stay in for the whole run. `after_chunk(bytes so far)` runs after each
  // chunk; a set `cancel` stops the read there.
  std::vector<unsigned char> ReadExactly(std::size_t count, const char* what, const std::atomic<bool>* cancel = nullptr,
                                         const std::function<void(std::size_t)>& after_chunk = {}) {
    constexpr std::size_t kChunk = std::size_t{16} << 20;
    std::vector<unsigned char> bytes;
    bytes.reserve(count);
    std::size_t got = 0;
    while (got < count) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        throw LoadCancelled(path_ + ": loading cancelled after " + std::to_string(got) + " of " +
                            std::to_string(count) + " bytes of " + what);
      }
      const std::size_t want = std::min(kChunk, count - got);
      bytes.resize(got + want);
      const std::size_t read = Read(bytes.data() + got, want);
      got += read;
      if (read < want) {
        Fail(path_, "truncated: expected " + std::to_string(count) + " bytes of " + what + ", got " +
                        std::to_string(got) + TruncationNote());
      }
      if (after_chunk) after_chunk(got);
    }
    return bytes;
  }

  // Z_BUF_ERROR after a short read means the compressed stream itself was cut off.
  std::string TruncationNote() {
    int code = Z_OK;
    gzerror(file_.get(), &code);
    return code == Z_BUF_ERROR ? " (the gzip stream ends early: the file was cut off)" : "";
  }

  // Reading one byte past the data makes zlib verify the gzip checksum and length.
  void ExpectEnd(std::size_t data_bytes) {
    unsigned char extra = 0;
    if (Read(&extra, 1) != 0) {
      Fail(path_, "more data than the header promises (" + std::to_string(data_bytes) +
                      " bytes); the header's counts or sizes are wrong");
    }
    if (!TruncationNote().empty()) {
      Fail(path_, "the gzip stream ends before its checksum: the file was cut off");
    }
  }

 private:
  // Fewer than `count` bytes only at the end of the data (gzread's contract).
  std::size_t Read(unsigned char* out, std::size_t count) {
    const int got = gzread(file_.get(), out, static_cast<unsigned>(count));
    int code = Z_OK;
    gzerror(file_.get(), &code);
    if (got < 0 || (code != Z_OK && code != Z_BUF_ERROR)) {
      Fail(path_, "corrupt gzip data (" + ZlibMessage() + ")");
    }
    return static_cast<std::size_t>(got);
  }

  // zlib prefixes its messages with the path; ours already start with it.
  std::string ZlibMessage() {
    int code = Z_OK;
    const char* text = gzerror(file_.get(), &code);
    std::string message = text != nullptr ? text : "unknown zlib error";
    const std::string prefix = path_ + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
    return message;
  }

  std::string path_;
  std::unique_ptr<gzFile_s, GzCloser> file_;
};

std::uint32_t BigEndian32(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

// Returns the header's 32-bit fields after the magic number, which it checks.
template <std::size_t kFields>
std::array<std::uint32_t, kFields> ReadHeader(GzReader& reader, std::uint32_t magic, const char* kind) {
  const std::vector<unsigned char> bytes = reader.ReadExactly(4 * (kFields + 1), "header");
  const std::uint32_t found = BigEndian32(bytes.data());
  if (found != magic) {
    std::string problem = "wrong magic number " + std::to_string(found) + " (expected " + std::to_string(magic) +
                          " for an IDX " + kind + " file)";
    if (found == kImageMagic || found == kLabelMagic) {
      problem += "; this is the other kind of IDX file: are the file names swapped?";
    } else {
      problem += "; the file is not an IDX file or is damaged";
    }
    Fail(reader.path(), problem);
  }
  std::array<std::uint32_t, kFields> fields{};
  for (std::size_t i = 0; i < kFields; ++i) fields[i] = BigEndian32(bytes.data() + 4 * (i + 1));
  return fields;
}

// An IDX image file whose header has been read and checked; the pixels follow.
struct ImageHeader {
  GzReader reader;
  int count = 0;
  int rows = 0;
  int cols = 0;

  std::uint64_t pixel_bytes() const { return std::uint64_t{static_cast<std::uint32_t>(count)} * rows * cols; }
  // The pixels, kept as the bytes they are read into, plus the labels.
  std::uint64_t load_bytes() const {
    return pixel_bytes() + std::uint64_t{static_cast<std::uint32_t>(count)} * sizeof(Label);
  }
};

// The four 32-bit header words take 16 bytes, the label file's two 8.
constexpr std::uint64_t kImageHeaderBytes = 16;
constexpr std::uint64_t kLabelHeaderBytes = 8;

ImageHeader OpenImages(const std::string& path) {
  GzReader reader(path);
  const auto [count, rows, cols] = ReadHeader<3>(reader, kImageMagic, "image");
  // Any image size is fine as long as train and test agree; these bounds only stop a
  // damaged header from asking for gigabytes (sizes are ints throughout the engine).
  const std::uint64_t bytes = std::uint64_t{count} * rows * cols;
  if (count == 0 || rows == 0 || cols == 0 || rows > 4096 || cols > 4096 || bytes > INT_MAX) {
    Fail(path, "implausible header: " + std::to_string(count) + " images of " + std::to_string(rows) + "x" +
                   std::to_string(cols) + " pixels");
  }
  reader.ExpectRoomFor(kImageHeaderBytes + bytes, std::to_string(count) + " images of " + std::to_string(rows) + "x" +
                                                      std::to_string(cols) + " pixels");
  return ImageHeader{std::move(reader), static_cast<int>(count), static_cast<int>(rows), static_cast<int>(cols)};
}

// The label file's header, checked against the image count before either file's data is read.
GzReader OpenLabels(const std::string& path, const ImageHeader& images) {
  GzReader reader(path);
  const auto [count] = ReadHeader<1>(reader, kLabelMagic, "label");
  if (count != static_cast<std::uint32_t>(images.count)) {
    Fail(path, "mismatched counts: " + std::to_string(images.count) + " images but " + std::to_string(count) +
                   " labels (the images are in " + images.reader.path() + ")");
  }
  reader.ExpectRoomFor(kLabelHeaderBytes + count, std::to_string(count) + " labels");
  return reader;
}

// `held`: bytes the data loaded so far already takes.
void ExpectWithinBudget(const ImageHeader& images, std::uint64_t held, std::uint64_t budget) {
  const std::uint64_t needed = held + images.load_bytes();
  if (needed <= budget) return;
  Fail(images.reader.path(),
       "its header claims " + std::to_string(images.count) + " images of " + std::to_string(images.rows) + "x" +
           std::to_string(images.cols) + " pixels; loading them needs about " + FormatBytes(needed) +
           " of memory, more than the " + FormatBytes(budget) + " one run may use on this machine");
}

std::vector<unsigned char> ReadPixels(ImageHeader& images, const char* split, const LoadControl& control) {
  const std::uint64_t image_bytes = static_cast<std::uint64_t>(images.rows) * static_cast<std::uint64_t>(images.cols);
  const auto report = [&](std::size_t bytes) {
    if (control.progress)
      control.progress(LoadProgress{split, bytes / image_bytes, static_cast<std::uint64_t>(images.count)});
  };
  report(0);
  std::vector<unsigned char> pixels =
      images.reader.ReadExactly(static_cast<std::size_t>(images.pixel_bytes()), "pixel data", control.cancel, report);
  images.reader.ExpectEnd(pixels.size());
  return pixels;
}

Labels ReadLabels(GzReader& reader, int count) {
  const std::vector<unsigned char> bytes = reader.ReadExactly(static_cast<std::size_t>(count), "label data");
  reader.ExpectEnd(bytes.size());
  Labels labels(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] >= kFashionClasses) {
      Fail(reader.path(), "label " + std::to_string(bytes[i]) + " at index " + std::to_string(i) +
                              " is out of range 0.." + std::to_string(kFashionClasses - 1));
    }
    labels[i] = bytes[i];
  }
  return labels;
}

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

// IDX stores each image contiguously, which is exactly one column of a column-major
// (features, count) matrix: the bytes as read are the samples, nothing is converted.
Samples PixelsToSamples(const ImageHeader& images, std::vector<unsigned char> pixels, const PixelTable& table) {
  return Samples(images.rows * images.cols, std::move(pixels), table);
}

// "2 700 000": digits in groups of three, as the README writes counts.
std::string GroupedCount(std::uint64_t count) {
  std::string digits = std::to_string(count);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), " ");
  return digits;
}

// ---------------------------------------------------------------------------------------
// Synthetic 2-D sets. Every kind is scaled so its points lie roughly in [-1.5, 1.5]².

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

std::string LoadProgressText(const LoadProgress& progress) {
  const std::uint64_t percent = progress.images_total > 0 ? 100 * progress.images_done / progress.images_total : 0;
  return GroupedCount(progress.images_done) + " of " + GroupedCount(progress.images_total) + " " + progress.split +
         " images (" + std::to_string(percent) + "%)";
}

Dataset LoadFashionMnist(const std::string& dir, bool standardize, std::uint64_t memory_budget,
                         const LoadControl& control) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    if (ec) Fail(dir, ec.message());  // there but not reachable: a symlink loop, no permission
    Fail(dir, std::string("directory not found; ") + kInstallHint);
  }
  if (!fs::is_directory(dir, ec)) Fail(dir, std::string("is not a directory; ") + kInstallHint);
  const auto in_dir = [&dir](const char* name) { return (fs::path(dir) / name).string(); };

  Dataset data;
  data.name = "fashion";
  data.num_classes = kFashionClasses;
  int rows = 0;
  int cols = 0;
  PixelTable table = ScaledTable();
  std::uint64_t held = 0;  // what the training split takes once loaded
  {
    ImageHeader images = OpenImages(in_dir("train-images-idx3-ubyte.gz"));
    GzReader labels = OpenLabels(in_dir("train-labels-idx1-ubyte.gz"), images);
    ExpectWithinBudget(images, held, memory_budget);
    std::vector<unsigned char> pixels = ReadPixels(images, "training", control);
    data.train_y = ReadLabels(labels, images.count);
    if (standardize) table = StandardizedTable(pixels);
    data.train_x = PixelsToSamples(images, std::move(pixels), table);
    rows = images.rows;
    cols = images.cols;
    held = images.pixel_bytes() + data.train_y.size() * sizeof(Label);
  }
  {
    ImageHeader images = OpenImages(in_dir("t10k-images-idx3-ubyte.gz"));
    if (images.rows != rows || images.cols != cols) {
      Fail(images.reader.path(), "image size " + std::to_string(images.rows) + "x" + std::to_string(images.cols) +
                                     " differs from the training images' " + std::to_string(rows) + "x" +
                                     std::to_string(cols));
    }
    GzReader labels = OpenLabels(in_dir("t10k-labels-idx1-ubyte.gz"), images);
    ExpectWithinBudget(images, held, memory_budget);
    std::vector<unsigned char> pixels = ReadPixels(images, "test", control);
    data.test_y = ReadLabels(labels, images.count);
    data.test_x = PixelsToSamples(images, std::move(pixels), table);
  }
  return data;
}

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
