// Loading a large Fashion-MNIST file: its memory (budget, one copy of the pixels), progress,
// the loader a chunk at a time (the page's way), and cancelling.
#include "engine/config.h"
#include "engine/dataset.h"
#include "engine/fashion_loader.h"
#include "engine/memory_estimate.h"

#include "all_columns.h"
#include "fashion_files.h"
#include "../plot/allocation_counter.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace bnlab {
namespace {

using namespace fashion_files;

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

}  // namespace
}  // namespace bnlab
