#include "plot/colormap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

TEST(Colormap, SequentialEndpoints) {
  EXPECT_EQ(plot::SampleColormap(plot::Colormap_Sequential, 0.0), plot::PackColor(68, 1, 84));
  EXPECT_EQ(plot::SampleColormap(plot::Colormap_Sequential, 1.0), plot::PackColor(253, 231, 37));
  // Out-of-range t clamps to the ends.
  EXPECT_EQ(plot::SampleColormap(plot::Colormap_Sequential, -3.0),
            plot::SampleColormap(plot::Colormap_Sequential, 0.0));
  EXPECT_EQ(plot::SampleColormap(plot::Colormap_Sequential, 7.0), plot::SampleColormap(plot::Colormap_Sequential, 1.0));
  EXPECT_EQ(plot::ColorA(plot::SampleColormap(plot::Colormap_Sequential, 0.3)), 255);
}

TEST(Colormap, SequentialLumaRisesMonotonically) {
  float previous = -1.0f;
  for (int i = 0; i <= 64; ++i) {
    const float luma = plot::Luma(plot::SampleColormap(plot::Colormap_Sequential, i / 64.0));
    EXPECT_GT(luma, previous) << "t = " << i / 64.0;
    previous = luma;
  }
}

TEST(Colormap, DivergingHasTwoClassesAndANeutralMiddle) {
  const plot::Color32 low = plot::SampleColormap(plot::Colormap_Diverging, 0.0);
  const plot::Color32 mid = plot::SampleColormap(plot::Colormap_Diverging, 0.5);
  const plot::Color32 high = plot::SampleColormap(plot::Colormap_Diverging, 1.0);
  EXPECT_GT(plot::ColorB(low), plot::ColorR(low));                 // class 0 is blue
  EXPECT_GT(plot::ColorR(high), plot::ColorB(high));               // class 1 is orange
  EXPECT_LT(std::abs(plot::ColorR(mid) - plot::ColorB(mid)), 10);  // the middle is grey
  // Saturation grows away from the middle on both sides.
  auto chroma = [](plot::Color32 c) {
    return std::max({plot::ColorR(c), plot::ColorG(c), plot::ColorB(c)}) -
           std::min({plot::ColorR(c), plot::ColorG(c), plot::ColorB(c)});
  };
  EXPECT_LT(chroma(mid), chroma(plot::SampleColormap(plot::Colormap_Diverging, 0.25)));
  EXPECT_LT(chroma(plot::SampleColormap(plot::Colormap_Diverging, 0.25)), chroma(low));
  EXPECT_LT(chroma(mid), chroma(plot::SampleColormap(plot::Colormap_Diverging, 0.75)));
  EXPECT_LT(chroma(plot::SampleColormap(plot::Colormap_Diverging, 0.75)), chroma(high));
}

TEST(Colormap, NaNIsTransparent) {
  EXPECT_EQ(plot::SampleColormap(plot::Colormap_Sequential, std::nan("")), 0u);
  EXPECT_EQ(plot::ColorA(plot::SampleColormap(plot::Colormap_Diverging, std::nan(""))), 0);
}

TEST(Colormap, LerpAndAlpha) {
  const plot::Color32 black = plot::PackColor(0, 0, 0, 0);
  const plot::Color32 white = plot::PackColor(255, 255, 255, 255);
  EXPECT_EQ(plot::LerpColor(black, white, 0.0f), black);
  EXPECT_EQ(plot::LerpColor(black, white, 1.0f), white);
  EXPECT_EQ(plot::LerpColor(black, white, 0.5f), plot::PackColor(128, 128, 128, 128));
  EXPECT_EQ(plot::LerpColor(black, white, 2.0f), white);
  EXPECT_EQ(plot::LerpColor(black, white, std::nanf("")), black);
  EXPECT_EQ(plot::WithAlpha(plot::PackColor(10, 20, 30, 255), 0.0f), plot::PackColor(10, 20, 30, 0));
  EXPECT_EQ(plot::ScaleAlpha(plot::PackColor(10, 20, 30, 200), 0.5f), plot::PackColor(10, 20, 30, 100));
}

TEST(Colormap, PackingMatchesImGui) {
  // IM_COL32(R, G, B, A) with ImGui's default packing: R in the low byte.
  EXPECT_EQ(plot::PackColor(0x11, 0x22, 0x33, 0x44), 0x44332211u);
}
