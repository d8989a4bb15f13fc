#include "app/shell/window_icon.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace bnlab {
namespace {

struct Rgb {
  float r, g, b;
};
constexpr Rgb kTile = {0x1b / 255.0f, 0x1d / 255.0f, 0x24 / 255.0f};
constexpr Rgb kAxis = {0x6b / 255.0f, 0x70 / 255.0f, 0x80 / 255.0f};
constexpr Rgb kPlain = {0xf0 / 255.0f, 0x92 / 255.0f, 0x3a / 255.0f};
constexpr Rgb kBn = {0x4a / 255.0f, 0xa3 / 255.0f, 0xff / 255.0f};

// The picture in the SVG's 128-unit square: a curve's height above the axis at x.
float PlainCurve(float x) { return 34.0f * std::exp(-std::pow((x - 72.0f) / 20.0f, 2.0f)); }
float BnCurve(float x) { return 74.0f * std::exp(-std::pow((x - 64.0f) / 13.0f, 2.0f)); }
constexpr float kAxisY = 100.0f;
constexpr float kCurveHalfWidth = 4.0f;

// Distance from (px, py) to the curve y = kAxisY − height(x), x in [18, 110], by sampling.
template <typename Height>
float DistanceToCurve(float px, float py, Height height) {
  float best = 1e9f;
  for (float x = 18.0f; x <= 110.0f; x += 0.5f) {
    const float dx = px - x, dy = py - (kAxisY - height(x));
    best = std::min(best, dx * dx + dy * dy);
  }
  return std::sqrt(best);
}

// Share of a pixel a stroke of half-width `half` covers, at distance d from its centre line.
float Coverage(float d, float half, float unit) { return std::clamp((half - d) / unit + 0.5f, 0.0f, 1.0f); }

void Blend(Rgb* into, const Rgb& colour, float alpha) {
  into->r += (colour.r - into->r) * alpha;
  into->g += (colour.g - into->g) * alpha;
  into->b += (colour.b - into->b) * alpha;
}

}  // namespace

std::vector<std::uint8_t> DrawIcon(int size) {
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(size) * size * 4);
  const float unit = 128.0f / static_cast<float>(size);  // SVG units per pixel
  for (int row = 0; row < size; ++row) {
    for (int col = 0; col < size; ++col) {
      const float x = (static_cast<float>(col) + 0.5f) * unit, y = (static_cast<float>(row) + 0.5f) * unit;
      // The rounded tile (x, y in [4, 124], corner radius 22): its signed distance.
      const float qx = std::max(std::abs(x - 64.0f) - 38.0f, 0.0f), qy = std::max(std::abs(y - 64.0f) - 38.0f, 0.0f);
      const float tile = Coverage(std::sqrt(qx * qx + qy * qy), 22.0f, unit);
      Rgb colour = kTile;
      const bool on_axis = x >= 18.0f && x <= 110.0f;
      if (on_axis) Blend(&colour, kAxis, Coverage(std::abs(y - kAxisY), 2.0f, unit));
      Blend(&colour, kPlain, Coverage(DistanceToCurve(x, y, PlainCurve), kCurveHalfWidth, unit));
      Blend(&colour, kBn, Coverage(DistanceToCurve(x, y, BnCurve), kCurveHalfWidth, unit));
      std::uint8_t* pixel = &pixels[(static_cast<std::size_t>(row) * size + col) * 4];
      pixel[0] = static_cast<std::uint8_t>(std::lround(colour.r * 255.0f));
      pixel[1] = static_cast<std::uint8_t>(std::lround(colour.g * 255.0f));
      pixel[2] = static_cast<std::uint8_t>(std::lround(colour.b * 255.0f));
      pixel[3] = static_cast<std::uint8_t>(std::lround(tile * 255.0f));
    }
  }
  return pixels;
}

void SetWindowIcon(GLFWwindow* window) {
  constexpr std::array<int, 3> kSizes = {32, 64, 128};
  std::array<std::vector<std::uint8_t>, kSizes.size()> pixels;
  std::array<GLFWimage, kSizes.size()> images{};
  for (std::size_t i = 0; i < kSizes.size(); ++i) {
    pixels[i] = DrawIcon(kSizes[i]);
    images[i] = GLFWimage{kSizes[i], kSizes[i], pixels[i].data()};
  }
  glfwSetWindowIcon(window, static_cast<int>(images.size()), images.data());
}

}  // namespace bnlab
