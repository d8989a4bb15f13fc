// Colours and sizes shared by every view: Plain and BN each keep one colour everywhere.
#pragma once

#include "engine/net_id.h"
#include "engine/variant.h"

#include "plot/plot.h"

#include <imgui.h>

namespace bnlab {

inline constexpr ImU32 kBnColor = IM_COL32(76, 160, 255, 255);       // blue, the bn row's (norms/batch_norm.h)
inline constexpr ImU32 kSaturatedShade = IM_COL32(220, 60, 60, 45);  // the flat tails of the sigmoid
inline constexpr ImU32 kAlarmColor = IM_COL32(255, 90, 90, 255);     // diverged; most inputs saturated; errors
inline constexpr ImU32 kCautionColor = IM_COL32(250, 200, 80, 255);  // a sizeable saturated share

// The two columns' variants (TrainConfig::left, right), set by the App once per frame from the
// snapshot: every view names and colours a column by its variant ("Plain" orange, "BN" blue,
// "LayerNorm" pink, ...).
void SetColumns(Variant left, Variant right);
ImU32 VariantColor(Variant variant);
ImU32 NetColor(NetId id);
const char* NetTitle(NetId id);
inline ImU32 WithAlpha(ImU32 color, int alpha) {
  return (color & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

// The light theme (bright rooms) or the dark one; colours below that depend on it are functions.
bool LightTheme();
void SetLightTheme(bool light);
// Text that stands out without alarm: notices, the live verdict, a pause point's "Paused.".
ImVec4 AccentText();
// The activation curve, reference lines, and the backing behind text drawn over a plot.
ImU32 CurveColor();
ImU32 ReferenceColor();
ImU32 TextBacking(int alpha);
// The colour of the page's "ink": near-white on the dark theme, near-black on the light one.
ImU32 Ink(int alpha);

// The UI scale factor: multiply every pixel constant by it. The plot context holds it (one
// value for the views and their plots; plot::SetScale sets it).
inline float Ui() { return plot::GetScale(); }
inline float Px(float pixels) { return pixels * Ui(); }

// A bold font about 1.6× the body text, for the big numbers a back row must read
// (ImGui's default font when the fonts could not be loaded).
ImFont* BigFont();
void SetBigFont(ImFont* font);

}  // namespace bnlab
