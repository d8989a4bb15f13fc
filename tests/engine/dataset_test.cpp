// Fashion-MNIST IDX loading: valid files, standardization, and every kind of bad file.
#include "engine/dataset.h"
#include "engine/fashion_loader.h"

#include "engine/config.h"
#include "engine/random.h"

#include "all_columns.h"
#include "../plot/allocation_counter.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace bnlab {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

constexpr const char* kTrainImages = "train-images-idx3-ubyte.gz";
constexpr const char* kTrainLabels = "train-labels-idx1-ubyte.gz";
constexpr const char* kTestImages = "t10k-images-idx3-ubyte.gz";
constexpr const char* kTestLabels = "t10k-labels-idx1-ubyte.gz";

// An IDX file: magic number and dimensions as big-endian 32-bit words, then the bytes.
Bytes Idx(std::uint32_t magic, std::vector<std::uint32_t> words, const Bytes& data) {
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

Bytes ImageFile(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, const Bytes& pixels,
                std::uint32_t magic = 2051) {
  return Idx(magic, {count, rows, cols}, pixels);
}

Bytes LabelFile(std::uint32_t count, const Bytes& labels, std::uint32_t magic = 2049) {
  return Idx(magic, {count}, labels);
}

void WriteGz(const std::string& path, const Bytes& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr) << path;
  if (!bytes.empty()) {
    ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  }
  ASSERT_EQ(gzclose(file), Z_OK);
}

void WriteRaw(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

Bytes ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Bytes RandomBytes(int count, std::uint64_t seed) {
  Rng rng(seed);
  Bytes bytes(static_cast<std::size_t>(count));
  for (unsigned char& byte : bytes) byte = static_cast<unsigned char>(rng.Below(256));
  return bytes;
}

// Deterministic pixels that include both 0 and 255 (image 0 holds 0 at pixel 0, 255 at 255).
Bytes Pixels(int count, int features, int offset) {
  Bytes pixels(static_cast<std::size_t>(count * features));
  for (std::size_t k = 0; k < pixels.size(); ++k) {
    const std::size_t image = k / static_cast<std::size_t>(features);
    const std::size_t pixel = k % static_cast<std::size_t>(features);
    pixels[k] = static_cast<unsigned char>((offset + 31 * image + pixel) % 256);
  }
  return pixels;
}

// Loads `dir`, expecting a DataError whose message starts with `path` and contains `problem`.
void ExpectDataError(const std::string& dir, const std::string& path, const std::string& problem) {
  try {
    LoadFashionMnist(dir);
    ADD_FAILURE() << "expected a DataError about " << path << ": " << problem;
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(path + ": ", 0), 0U) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
  }
}

void ExpectDataErrorWithBudget(const std::string& dir, const std::string& path, const std::string& problem,
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

TEST_F(FashionFilesTest, LoadsShapesScaledPixelsAndLabels) {
  const Dataset data = LoadFashionMnist(Dir());
  EXPECT_EQ(data.name, "fashion");
  EXPECT_EQ(data.num_classes, 10);
  EXPECT_EQ(data.features(), 784);
  EXPECT_EQ(data.train_size(), 5);
  EXPECT_EQ(data.test_size(), 3);
  EXPECT_EQ(data.train_y, Labels({3, 1, 4, 1, 5}));
  EXPECT_EQ(data.test_y, Labels({9, 2, 6}));
  // Column i is image i, pixel k in row k.
  for (int i = 0; i < 5; ++i) {
    for (int k = 0; k < 784; ++k) {
      ASSERT_FLOAT_EQ(data.train_x(k, i), train_pixels_[std::size_t(i) * 784 + k] / 255.0f);
    }
  }
  EXPECT_FLOAT_EQ(data.test_x(5, 2), test_pixels_[2 * 784 + 5] / 255.0f);
  EXPECT_EQ(data.train_x(0, 0), 0.0f);
  EXPECT_EQ(data.train_x(255, 0), 1.0f);  // exactly, not 1.0000001
  const Matrix train_x = AllColumns(data.train_x);
  const Matrix test_x = AllColumns(data.test_x);
  EXPECT_EQ(train_x.minCoeff(), 0.0f);
  EXPECT_EQ(train_x.maxCoeff(), 1.0f);
  EXPECT_GE(test_x.minCoeff(), 0.0f);
  EXPECT_LE(test_x.maxCoeff(), 1.0f);
}

TEST_F(FashionFilesTest, PixelsAreKeptAsBytesAndReadAsTheFloatsAFloatImageHeld) {
  const Dataset data = LoadFashionMnist(Dir());
  for (const Samples* x : {&data.train_x, &data.test_x}) {
    EXPECT_TRUE(x->stored_as_bytes());
    EXPECT_EQ(x->value_bytes(), kFashionValueBytes);
  }
  EXPECT_EQ(ShapeOf(data).value_bytes, ExpectedDataShape(TrainConfig{}).value_bytes);
  // The float of every byte is the one the loader computed before pixels were kept as bytes:
  // value / 255 in double, rounded once to float. Bit for bit, so training is unchanged.
  for (int value = 0; value < 256; ++value) {
    ASSERT_EQ(data.train_x.table()[static_cast<std::size_t>(value)], static_cast<Scalar>(value / 255.0)) << value;
  }
  for (int i = 0; i < 5; ++i) {
    for (int k = 0; k < 784; ++k) {
      ASSERT_EQ(data.train_x(k, i), static_cast<Scalar>(train_pixels_[std::size_t(i) * 784 + k] / 255.0));
    }
  }
}

// Mean and std over every element, in double.
std::pair<double, double> MeanStd(const Matrix& x) {
  const double n = static_cast<double>(x.size());
  const double mean = x.cast<double>().sum() / n;
  return {mean, std::sqrt((x.cast<double>().array() - mean).square().sum() / n)};
}

TEST_F(FashionFilesTest, StandardizeUsesTrainingMeanAndStdForBothSplits) {
  const Dataset raw = LoadFashionMnist(Dir());
  const Dataset data = LoadFashionMnist(Dir(), /*standardize=*/true);
  const auto [mean, std_dev] = MeanStd(AllColumns(data.train_x));
  EXPECT_NEAR(mean, 0.0, 1e-5);
  EXPECT_NEAR(std_dev, 1.0, 1e-5);
  const auto [raw_mean, raw_std] = MeanStd(AllColumns(raw.train_x));
  const Matrix expected_test = ((AllColumns(raw.test_x).cast<double>().array() - raw_mean) / raw_std).cast<float>();
  EXPECT_LT((AllColumns(data.test_x) - expected_test).cwiseAbs().maxCoeff(), 1e-5f);
  EXPECT_EQ(data.train_y, raw.train_y);
}

TEST_F(FashionFilesTest, StandardizedPixelsStayBytesWithOneAffineTableForBothSplits) {
  const Dataset data = LoadFashionMnist(Dir(), /*standardize=*/true);
  ASSERT_TRUE(data.train_x.stored_as_bytes());
  ASSERT_TRUE(data.test_x.stored_as_bytes());
  // One mean and one std for every pixel of both splits: one table, (byte/255 − mean)/std.
  EXPECT_EQ(data.test_x.table(), data.train_x.table());
  double sum = 0.0;
  for (const unsigned char byte : train_pixels_) sum += byte / 255.0;
  const double mean = sum / static_cast<double>(train_pixels_.size());
  double squares = 0.0;
  for (const unsigned char byte : train_pixels_) squares += (byte / 255.0 - mean) * (byte / 255.0 - mean);
  const double std_dev = std::sqrt(squares / static_cast<double>(train_pixels_.size()));
  for (int value = 0; value < 256; ++value) {
    EXPECT_NEAR(data.train_x.table()[static_cast<std::size_t>(value)], (value / 255.0 - mean) / std_dev, 1e-6) << value;
  }
  EXPECT_EQ(data.test_x(5, 2), data.train_x.table()[test_pixels_[2 * 784 + 5]]);
}

TEST_F(FashionFilesTest, AcceptsAnyImageSizeSharedByTrainAndTest) {
  WriteGz(File(kTrainImages), ImageFile(5, 8, 6, Pixels(5, 48, 0)));
  WriteGz(File(kTestImages), ImageFile(3, 8, 6, Pixels(3, 48, 0)));
  const Dataset data = LoadFashionMnist(Dir());
  EXPECT_EQ(data.features(), 48);
  EXPECT_EQ(data.train_size(), 5);
  EXPECT_EQ(data.test_size(), 3);
}

TEST_F(FashionFilesTest, RejectsTestImagesOfAnotherSize) {
  WriteGz(File(kTestImages), ImageFile(3, 27, 28, Pixels(3, 27 * 28, 0)));
  ExpectError(kTestImages, "image size 27x28 differs from the training images' 28x28");
}

TEST_F(FashionFilesTest, UncompressedFilesAreReadTransparently) {
  // zlib's gzread passes data without a gzip header through, so raw IDX files load too.
  WriteRaw(File(kTrainImages), ImageFile(5, 28, 28, train_pixels_));
  WriteRaw(File(kTrainLabels), LabelFile(5, train_labels_));
  const Dataset data = LoadFashionMnist(Dir());
  EXPECT_EQ(data.train_size(), 5);
  EXPECT_EQ(data.train_x(255, 0), 1.0f);
}

TEST(FashionErrorsTest, MissingDirectoryNamesItAndGivesTheHint) {
  const std::string dir = (fs::temp_directory_path() / "bnlab_no_such_dataset_dir").string();
  ExpectDataError(dir, dir, "directory not found");
  ExpectDataError(dir, dir, "install the Debian package dataset-fashion-mnist or pass --data-dir");
}

TEST_F(FashionFilesTest, MissingFile) {
  fs::remove(File(kTestLabels));
  ExpectError(kTestLabels, "file not found");
}

TEST_F(FashionFilesTest, WrongMagicNumber) {
  WriteGz(File(kTrainImages), ImageFile(5, 28, 28, train_pixels_, /*magic=*/2049));
  ExpectError(kTrainImages, "wrong magic number 2049 (expected 2051");
}

TEST_F(FashionFilesTest, LabelFileWithImageMagic) {
  WriteGz(File(kTestLabels), LabelFile(3, test_labels_, /*magic=*/2051));
  ExpectError(kTestLabels, "swapped");
}

TEST_F(FashionFilesTest, EmptyFile) {
  WriteGz(File(kTrainLabels), {});
  ExpectError(kTrainLabels, "truncated: expected 8 bytes of header, got 0");
}

TEST_F(FashionFilesTest, TruncatedPixelData) {
  Bytes short_pixels(train_pixels_.begin(), train_pixels_.begin() + 3500);
  WriteGz(File(kTrainImages), ImageFile(5, 28, 28, short_pixels));
  ExpectError(kTrainImages, "truncated: expected 3920 bytes of pixel data, got 3500");
}

TEST_F(FashionFilesTest, TruncatedLabelData) {
  WriteGz(File(kTestLabels), LabelFile(3, {9, 2}));
  ExpectError(kTestLabels, "truncated: expected 3 bytes of label data, got 2");
}

TEST_F(FashionFilesTest, GzipFileCutOffOnDisk) {
  const Bytes whole = ReadRaw(File(kTrainImages));
  const auto half = static_cast<std::ptrdiff_t>(whole.size() / 2);
  const Bytes first_half(whole.begin(), whole.begin() + half);
  WriteRaw(File(kTrainImages), first_half);
  ExpectError(kTrainImages, "the gzip stream ends early");
}

TEST_F(FashionFilesTest, ExtraDataAfterWhatTheHeaderPromises) {
  Bytes more_pixels = train_pixels_;
  more_pixels.resize(more_pixels.size() + 10, 7);
  WriteGz(File(kTrainImages), ImageFile(5, 28, 28, more_pixels));
  ExpectError(kTrainImages, "more data than the header promises");
}

TEST_F(FashionFilesTest, MismatchedCounts) {
  WriteGz(File(kTrainLabels), LabelFile(4, {3, 1, 4, 1}));
  ExpectError(kTrainLabels, "mismatched counts: 5 images but 4 labels");
}

TEST_F(FashionFilesTest, LabelOutOfRange) {
  WriteGz(File(kTestLabels), LabelFile(3, {9, 10, 6}));
  ExpectError(kTestLabels, "label 10 at index 1 is out of range 0..9");
}

TEST_F(FashionFilesTest, GzipHeaderThenGarbage) {
  Bytes bytes = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};
  const Bytes garbage = RandomBytes(2000, 7);
  bytes.insert(bytes.end(), garbage.begin(), garbage.end());
  bytes[10] = 0xff;  // deflate block type 3 does not exist: corrupt from the first byte
  WriteRaw(File(kTrainImages), bytes);
  ExpectError(kTrainImages, "corrupt gzip data");
}

TEST_F(FashionFilesTest, DamagedGzipChecksum) {
  Bytes bytes = ReadRaw(File(kTrainLabels));
  bytes[bytes.size() - 8] ^= 0x55;  // the CRC-32 in the gzip trailer
  WriteRaw(File(kTrainLabels), bytes);
  ExpectError(kTrainLabels, "corrupt gzip data (incorrect data check)");
}

TEST_F(FashionFilesTest, RandomBytesAreNotAnIdxFile) {
  // Without a gzip header zlib reads the bytes as they are, so garbage meets the magic check.
  Bytes bytes = RandomBytes(4000, 11);
  bytes[0] = 0xab;
  WriteRaw(File(kTestImages), bytes);
  ExpectError(kTestImages, "wrong magic number");
}

TEST_F(FashionFilesTest, ImplausibleHeader) {
  WriteGz(File(kTrainImages), ImageFile(5, 0, 28, {}));
  ExpectError(kTrainImages, "implausible header");
}

// Peak resident memory of this process so far, in bytes (ctest runs each test alone).
std::uint64_t PeakRss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

TEST_F(FashionFilesTest, AForgedCountInASmallGzipFailsBeforeAnythingIsInflated) {
  // Issue 10: a header claiming 2 700 000 images of 28x28 (2.1 GB) in a file of a few
  // hundred bytes. A gzip file cannot expand more than ~1032:1, so the header is a lie.
  WriteGz(File(kTrainImages), ImageFile(2700000, 28, 28, Bytes(1000, 0)));
  WriteGz(File(kTrainLabels), LabelFile(2700000, Bytes(1000, 0)));
  const std::uint64_t rss_before = PeakRss();
  ExpectError(kTrainImages, "the header claims 2700000 images of 28x28 pixels (2116800016 bytes) but a gzip file of");
  EXPECT_LT(PeakRss(), rss_before + (std::uint64_t{8} << 20));
}

TEST_F(FashionFilesTest, AnUncompressedFileShorterThanItsHeaderClaimsFailsAtOnce) {
  WriteRaw(File(kTrainImages), ImageFile(2700000, 28, 28, Bytes(1000, 0)));
  ExpectError(kTrainImages, "truncated: the header claims 2700000 images of 28x28 pixels");
}

TEST_F(FashionFilesTest, LabelCountIsCheckedBeforeThePixelsAreRead) {
  // 20 000 images, their gzip stream cut off in the middle: reading the pixels would fail
  // on that, so the label error can only come first if no pixel was read.
  WriteGz(File(kTrainImages), ImageFile(20000, 28, 28, Pixels(20000, 784, 0)));
  Bytes cut = ReadRaw(File(kTrainImages));
  cut.resize(cut.size() / 2);
  WriteRaw(File(kTrainImages), cut);
  ExpectError(kTrainLabels, "mismatched counts: 20000 images but 5 labels");
}

TEST_F(FashionFilesTest, DataAboveTheMemoryBudgetIsRefusedBeforeItIsRead) {
  // Honest files (blank images compress ~1000:1) that need more memory than allowed.
  WriteGz(File(kTrainImages), ImageFile(20000, 28, 28, Bytes(20000 * 784, 0)));
  WriteGz(File(kTrainLabels), LabelFile(20000, Bytes(20000, 1)));
  const std::uint64_t budget = std::uint64_t{8} << 20;
  try {
    LoadFashionMnist(Dir(), false, budget);
    ADD_FAILURE() << "no error";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message, File(kTrainImages) +
                           ": its header claims 20000 images of 28x28 pixels; loading them needs about 16 MB of "
                           "memory, more than the 8.4 MB one run may use on this machine");
  }
  // Within the budget the same files load.
  WriteGz(File(kTestImages), ImageFile(3, 28, 28, test_pixels_));
  EXPECT_EQ(LoadFashionMnist(Dir(), false, std::uint64_t{128} << 20).train_size(), 20000);
}

TEST_F(FashionFilesTest, TheBudgetCountsTheTrainingSplitAlreadyLoaded) {
  WriteGz(File(kTrainImages), ImageFile(5000, 28, 28, Bytes(5000 * 784, 0)));
  WriteGz(File(kTrainLabels), LabelFile(5000, Bytes(5000, 1)));
  WriteGz(File(kTestImages), ImageFile(5000, 28, 28, Bytes(5000 * 784, 0)));
  WriteGz(File(kTestLabels), LabelFile(5000, Bytes(5000, 1)));
  // One split needs and keeps ~3.9 MB (a byte per pixel, the labels); both do not fit in 6 MiB.
  ExpectDataErrorWithBudget(Dir(), File(kTestImages), "loading them needs about 7.9 MB", std::uint64_t{6} << 20);
}

// Blank 28×28 images (they compress ~1000:1) with labels 0..9 in turn, as the training split.
void WriteBlankTrainingSplit(const std::string& images_path, const std::string& labels_path, int count) {
  WriteGz(images_path, ImageFile(static_cast<std::uint32_t>(count), 28, 28, Bytes(std::size_t(count) * 784, 0)));
  Bytes labels(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<unsigned char>(i % 10);
  WriteGz(labels_path, LabelFile(static_cast<std::uint32_t>(count), labels));
}

// The pixels are decompressed into the buffer they stay in: loading holds their bytes once.
// Before, the buffer was reallocated for every 16 MB chunk, the old one still held while the
// new one filled (here a peak of 1.67x the pixels; 1.95x for 2.7 million images, with minutes
// of copying).
TEST_F(FashionFilesTest, PixelsAreDecompressedIntoTheirFinalBufferOnce) {
  constexpr int kImages = 64000;  // 50 MB of pixels: three chunks
  WriteBlankTrainingSplit(File(kTrainImages), File(kTrainLabels), kImages);
  const long long before = LiveBytes();
  ResetPeakLiveBytes();
  const Dataset data = LoadFashionMnist(Dir());
  const double pixel_bytes = 784.0 * kImages;
  const long long kept = LiveBytes() - before;
  const long long peak = PeakLiveBytes() - before;
  ASSERT_EQ(data.train_size(), kImages);
  EXPECT_GE(static_cast<double>(kept), pixel_bytes);
  EXPECT_LT(static_cast<double>(peak), 1.05 * pixel_bytes) << "kept " << kept << " bytes, peak " << peak;
}

// Every chunk says how far the load is, per split, up to the split's count.
TEST_F(FashionFilesTest, ProgressCountsTheImagesOfEachSplitAsTheyAreRead) {
  constexpr int kImages = 45000;  // 35 MB of pixels: three chunks
  WriteBlankTrainingSplit(File(kTrainImages), File(kTrainLabels), kImages);
  std::vector<LoadProgress> reports;
  LoadControl control;
  control.progress = [&reports](const LoadProgress& progress) { reports.push_back(progress); };
  LoadFashionMnist(Dir(), false, MemoryBudgetBytes(), control);
  std::vector<LoadProgress> training, test;
  for (const LoadProgress& report : reports) {
    (std::string(report.split) == "training" ? training : test).push_back(report);
  }
  ASSERT_EQ(training.size() + test.size(), reports.size()) << "splits are 'training' or 'test'";
  ASSERT_EQ(training.size(), 4u);  // before the first chunk, then after each of three
  ASSERT_EQ(test.size(), 2u);
  EXPECT_EQ(training.front().images_done, 0u);
  for (std::size_t i = 1; i < training.size(); ++i) EXPECT_GT(training[i].images_done, training[i - 1].images_done);
  for (const LoadProgress& report : training) EXPECT_EQ(report.images_total, std::uint64_t{kImages});
  EXPECT_EQ(training.back().images_done, std::uint64_t{kImages});
  EXPECT_EQ(test.back().images_done, 3u);
  EXPECT_EQ(test.back().images_total, 3u);
  EXPECT_STREQ(reports.back().split, "test");  // the test split comes second
}

// The page's way (a few pieces per frame): each Advance decompresses at most one chunk, the
// count moves with every chunk, and the data are those of the load in one go.
TEST_F(FashionFilesTest, TheLoaderReadsAChunkAtATime) {
  constexpr int kImages = 45000;  // 35 MB of pixels
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  WriteBlankTrainingSplit(File(kTrainImages), File(kTrainLabels), kImages);
  FashionLoader loader(Dir(), /*standardize=*/false, MemoryBudgetBytes(), kChunk);
  EXPECT_EQ(loader.progress().images_total, 0u);  // nothing read yet
  int pieces = 0;
  std::uint64_t last_done = 0;
  while (!loader.Advance()) {
    ++pieces;
    const LoadProgress progress = loader.progress();
    if (std::string(progress.split) != "training" || progress.images_total == 0) continue;
    EXPECT_EQ(progress.images_total, std::uint64_t{kImages});
    EXPECT_GE(progress.images_done, last_done);
    // A chunk's bytes, in whole images: at most one more than a chunk holds (the one it finished).
    EXPECT_LE(progress.images_done - last_done, kChunk / 784 + 1) << "more than a chunk in one piece";
    last_done = progress.images_done;
  }
  // The headers, 34 chunks of 1 MiB (35 280 000 bytes), the labels; then the test split's three.
  EXPECT_EQ(pieces + 1, 1 + 34 + 1 + 3);
  EXPECT_TRUE(loader.done());
  const Dataset pieced = loader.Take();
  const Dataset whole = LoadFashionMnist(Dir());
  ASSERT_EQ(pieced.train_size(), kImages);
  EXPECT_EQ(pieced.train_y, whole.train_y);
  EXPECT_EQ(pieced.test_y, whole.test_y);
  EXPECT_TRUE(AllColumns(pieced.test_x) == AllColumns(whole.test_x));
}

// A cancel predicate (a newer request's flag, Ctrl+C) stops the load at the next chunk, with
// LoadCancelled naming the file.
TEST_F(FashionFilesTest, ACancelFlagStopsTheLoadAtTheNextChunk) {
  constexpr int kImages = 45000;
  WriteBlankTrainingSplit(File(kTrainImages), File(kTrainLabels), kImages);
  std::atomic<bool> cancel{false};  // as another thread would set it
  int chunks = 0;
  LoadControl control;
  control.cancel = [&cancel] { return cancel.load(); };
  control.progress = [&](const LoadProgress& progress) {
    if (progress.images_done > 0 && ++chunks == 1) cancel = true;  // as if set from elsewhere now
  };
  try {
    LoadFashionMnist(Dir(), false, MemoryBudgetBytes(), control);
    ADD_FAILURE() << "the load was not cancelled";
  } catch (const LoadCancelled& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(File(kTrainImages) + ": loading cancelled after 16777216 of 35280000 bytes", 0), 0u)
        << message;
  }
  EXPECT_EQ(chunks, 1);
  // A flag set before the load starts: nothing is read.
  chunks = 0;
  DataConfig files;
  files.dir = Dir();
  EXPECT_THROW(LoadDataset(files, 1, control), LoadCancelled);
  EXPECT_EQ(chunks, 0);
}

TEST_F(FashionFilesTest, ASymlinkLoopIsReportedAsSuch) {
  fs::remove(File(kTrainLabels));
  fs::create_symlink(File(kTrainLabels), File(kTrainLabels));
  // The C library's words for ELOOP: glibc's "Too many levels of symbolic links", musl's (the
  // WebAssembly build) "Symbolic link loop".
  const std::string loop = std::make_error_code(std::errc::too_many_symbolic_link_levels).message();
  ExpectError(kTrainLabels, loop);
  const std::string loop_dir = Dir() + "/loop";
  fs::create_symlink(loop_dir, loop_dir);
  ExpectDataError(loop_dir, loop_dir, loop);
}

TEST(FashionInstalledTest, LoadsTheDebianPackage) {
  if (!fs::is_directory(kDefaultFashionDir)) GTEST_SKIP() << kDefaultFashionDir << " is absent";
  const Dataset data = LoadFashionMnist(kDefaultFashionDir);
  EXPECT_EQ(data.train_size(), 60000);
  EXPECT_EQ(data.test_size(), 10000);
  EXPECT_EQ(data.features(), 784);
  std::array<int, 10> train_counts{};
  for (const Label label : data.train_y) {
    ASSERT_GE(label, 0);
    ASSERT_LT(label, 10);
    ++train_counts[static_cast<std::size_t>(label)];
  }
  for (const int count : train_counts) EXPECT_EQ(count, 6000);
  for (const Label label : data.test_y) ASSERT_TRUE(label >= 0 && label < 10);
  // Every pixel reads as an entry of the table.
  const Samples::ByteTable& table = data.train_x.table();
  EXPECT_EQ(*std::min_element(table.begin(), table.end()), 0.0f);
  EXPECT_EQ(*std::max_element(table.begin(), table.end()), 1.0f);
  EXPECT_EQ(ShapeOf(data).value_bytes, ExpectedDataShape(TrainConfig{}).value_bytes);
}

}  // namespace
}  // namespace bnlab
