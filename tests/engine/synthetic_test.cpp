// Synthetic 2-D sets: sizes, labels, determinism, exact shapes at zero noise.
#include "engine/dataset.h"

#include "all_columns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace bnlab {
namespace {

constexpr std::array<SyntheticKind, 5> kAllKinds = {SyntheticKind::kSpiral, SyntheticKind::kCircles,
                                                    SyntheticKind::kMoons, SyntheticKind::kXor, SyntheticKind::kBlobs};

SyntheticOptions Options(SyntheticKind kind, std::uint64_t seed = 1) {
  SyntheticOptions options;
  options.kind = kind;
  options.train_size = 300;
  options.test_size = 120;
  options.classes = 4;
  options.seed = seed;
  return options;
}

template <typename Change>
SyntheticOptions With(SyntheticKind kind, Change change) {
  SyntheticOptions options = Options(kind);
  change(options);
  return options;
}

void ExpectAllClassesPresent(const Labels& labels, int num_classes) {
  std::vector<int> counts(static_cast<std::size_t>(num_classes), 0);
  for (const Label label : labels) {
    ASSERT_GE(label, 0);
    ASSERT_LT(label, num_classes);
    ++counts[static_cast<std::size_t>(label)];
  }
  for (const int count : counts) EXPECT_GT(count, 0);
}

class SyntheticKindTest : public ::testing::TestWithParam<SyntheticKind> {};

TEST_P(SyntheticKindTest, SizesLabelsAndRange) {
  const Dataset data = MakeSynthetic(Options(GetParam()));
  const bool uses_classes = GetParam() == SyntheticKind::kSpiral || GetParam() == SyntheticKind::kBlobs;
  EXPECT_EQ(data.name, SyntheticKindName(GetParam()));
  EXPECT_EQ(data.num_classes, uses_classes ? 4 : 2);
  EXPECT_EQ(data.features(), 2);
  EXPECT_EQ(data.train_size(), 300);
  EXPECT_EQ(data.test_size(), 120);
  EXPECT_EQ(data.train_y.size(), 300U);
  EXPECT_EQ(data.test_y.size(), 120U);
  ExpectAllClassesPresent(data.train_y, data.num_classes);
  ExpectAllClassesPresent(data.test_y, data.num_classes);
  const Matrix train_x = AllColumns(data.train_x);
  EXPECT_FALSE(data.train_x.stored_as_bytes());
  EXPECT_TRUE(train_x.allFinite());
  EXPECT_LE(train_x.cwiseAbs().maxCoeff(), 2.5f);  // roughly [-1.5, 1.5] plus noise
  EXPECT_GT(train_x.cwiseAbs().maxCoeff(), 0.7f);
  // Shuffled: neither grouped by class nor in a fixed rotation (which never repeats a label).
  EXPECT_FALSE(std::is_sorted(data.train_y.begin(), data.train_y.end()));
  EXPECT_NE(std::adjacent_find(data.train_y.begin(), data.train_y.end()), data.train_y.end());
}

TEST_P(SyntheticKindTest, SameSeedSameDataOtherSeedOtherData) {
  const Dataset a = MakeSynthetic(Options(GetParam(), 5));
  const Dataset b = MakeSynthetic(Options(GetParam(), 5));
  const Dataset c = MakeSynthetic(Options(GetParam(), 6));
  EXPECT_TRUE(AllColumns(a.train_x) == AllColumns(b.train_x));
  EXPECT_TRUE(AllColumns(a.test_x) == AllColumns(b.test_x));
  EXPECT_EQ(a.train_y, b.train_y);
  EXPECT_EQ(a.test_y, b.test_y);
  EXPECT_FALSE(AllColumns(a.train_x) == AllColumns(c.train_x));
  EXPECT_FALSE(AllColumns(a.test_x) == AllColumns(c.test_x));
}

TEST_P(SyntheticKindTest, TestPointsAreNotCopiesOfTrainingPoints) {
  const Dataset data = MakeSynthetic(Options(GetParam()));
  std::set<std::pair<float, float>> train_points;
  for (int i = 0; i < data.train_size(); ++i) {
    train_points.insert({data.train_x(0, i), data.train_x(1, i)});
  }
  for (int i = 0; i < data.test_size(); ++i) {
    EXPECT_EQ(train_points.count({data.test_x(0, i), data.test_x(1, i)}), 0U) << "column " << i;
  }
}

TEST_P(SyntheticKindTest, InvalidOptionsThrow) {
  const SyntheticKind kind = GetParam();
  EXPECT_THROW(MakeSynthetic(With(kind, [](auto& o) { o.train_size = 0; })), std::invalid_argument);
  EXPECT_THROW(MakeSynthetic(With(kind, [](auto& o) { o.test_size = -3; })), std::invalid_argument);
  EXPECT_THROW(MakeSynthetic(With(kind, [](auto& o) { o.noise = -0.1; })), std::invalid_argument);
  EXPECT_THROW(MakeSynthetic(With(kind, [](auto& o) { o.noise = std::nan(""); })), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, SyntheticKindTest, ::testing::ValuesIn(kAllKinds),
                         [](const ::testing::TestParamInfo<SyntheticKind>& param_info) {
                           return std::string(SyntheticKindName(param_info.param));
                         });

TEST(SyntheticTest, SpiralAndBlobsNeedTwoClassesOthersIgnoreTheOption) {
  const auto one_class = [](SyntheticOptions& o) { o.classes = 1; };
  for (const SyntheticKind kind : {SyntheticKind::kSpiral, SyntheticKind::kBlobs}) {
    try {
      MakeSynthetic(With(kind, one_class));
      ADD_FAILURE() << "expected std::invalid_argument for " << SyntheticKindName(kind);
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("at least 2 classes"), std::string::npos);
    }
  }
  EXPECT_EQ(MakeSynthetic(With(SyntheticKind::kCircles, one_class)).num_classes, 2);
}

// Without noise each kind lies exactly on its defining shape.
Dataset Noiseless(SyntheticKind kind) {
  return MakeSynthetic(With(kind, [](SyntheticOptions& o) { o.noise = 0.0; }));
}

TEST(SyntheticTest, NoiselessCirclesHaveRadii075And15) {
  const Dataset data = Noiseless(SyntheticKind::kCircles);
  const Matrix train_x = AllColumns(data.train_x);
  for (int i = 0; i < data.train_size(); ++i) {
    const float radius = train_x.col(i).norm();
    EXPECT_NEAR(radius, data.train_y[static_cast<std::size_t>(i)] == 1 ? 0.75f : 1.5f, 1e-5f);
  }
}

TEST(SyntheticTest, NoiselessXorLabelIsSameSign) {
  const Dataset data = Noiseless(SyntheticKind::kXor);
  for (int i = 0; i < data.train_size(); ++i) {
    const bool same_sign = data.train_x(0, i) * data.train_x(1, i) > 0.0f;
    EXPECT_EQ(data.train_y[static_cast<std::size_t>(i)], same_sign ? 1 : 0);
    EXPECT_LE(std::max(std::abs(data.train_x(0, i)), std::abs(data.train_x(1, i))), 1.5f);
  }
}

TEST(SyntheticTest, NoiselessMoonsLieOnTheirHalfCircles) {
  const Dataset data = Noiseless(SyntheticKind::kMoons);
  for (int i = 0; i < data.train_size(); ++i) {
    const float x = data.train_x(0, i);
    const float y = data.train_x(1, i);
    if (data.train_y[static_cast<std::size_t>(i)] == 0) {  // upper arc centred at (-0.5, -0.25)
      EXPECT_NEAR(std::hypot(x + 0.5f, y + 0.25f), 1.0f, 1e-5f);
      EXPECT_GE(y, -0.25f - 1e-6f);
    } else {  // lower arc centred at (0.5, 0.25)
      EXPECT_NEAR(std::hypot(x - 0.5f, y - 0.25f), 1.0f, 1e-5f);
      EXPECT_LE(y, 0.25f + 1e-6f);
    }
  }
}

TEST(SyntheticTest, NoiselessSpiralArmsStayInsideRadius15) {
  const Dataset data = Noiseless(SyntheticKind::kSpiral);
  EXPECT_LE(AllColumns(data.train_x).colwise().norm().maxCoeff(), 1.5f + 1e-5f);
}

TEST(SyntheticTest, BlobCentresLieOnACircleOfRadiusOne) {
  const Dataset data = MakeSynthetic(With(SyntheticKind::kBlobs, [](SyntheticOptions& o) { o.train_size = 4000; }));
  const Matrix train_x = AllColumns(data.train_x);
  for (int label = 0; label < 4; ++label) {
    Eigen::Vector2d centre = Eigen::Vector2d::Zero();
    for (int i = 0; i < data.train_size(); ++i) {
      if (data.train_y[std::size_t(i)] == label) centre += train_x.col(i).cast<double>();
    }
    centre /= 1000.0;  // labels cycle through the classes, so each has exactly 4000 / 4
    const double angle = 2.0 * 3.14159265358979323846 * label / 4;
    EXPECT_NEAR(centre.x(), std::cos(angle), 0.05) << "class " << label;
    EXPECT_NEAR(centre.y(), std::sin(angle), 0.05) << "class " << label;
  }
}

TEST(SyntheticTest, KindNamesRoundTrip) {
  for (const SyntheticKind kind : kAllKinds) {
    SyntheticKind parsed = SyntheticKind::kSpiral;
    ASSERT_TRUE(ParseSyntheticKind(SyntheticKindName(kind), &parsed)) << SyntheticKindName(kind);
    EXPECT_EQ(parsed, kind);
  }
  EXPECT_STREQ(SyntheticKindName(SyntheticKind::kMoons), "moons");
  SyntheticKind untouched = SyntheticKind::kXor;
  EXPECT_FALSE(ParseSyntheticKind("fashion", &untouched));
  EXPECT_FALSE(ParseSyntheticKind("Spiral", &untouched));
  EXPECT_EQ(untouched, SyntheticKind::kXor);
}

}  // namespace
}  // namespace bnlab
