// Fashion-MNIST IDX loading: valid files, standardization, and every kind of bad file.
#include "engine/dataset.h"

#include "engine/config.h"
#include "engine/random.h"

#include "all_columns.h"
#include "fashion_files.h"

#include <gtest/gtest.h>

#include <algorithm>
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

using namespace fashion_files;

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
