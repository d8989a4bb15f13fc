#include "app/shell/theme.h"

#include "engine/config.h"

namespace bnlab {
namespace {
// The frame's theme, as ImGui's current style is: the App sets it once per frame (SetColumns,
// SetLightTheme, SetBigFont) and the views, free functions (STYLE.md), read it while drawing.
bool g_light = false;
ImFont* g_big_font = nullptr;
Variant g_columns[2] = {TrainConfig().left, TrainConfig().right};
}  // namespace

void SetColumns(Variant left, Variant right) {
  g_columns[0] = left;
  g_columns[1] = right;
}

ImU32 VariantColor(Variant variant) {
  const unsigned rgb = InfoOf(variant).rgb;  // the variants table's colour
  return IM_COL32(rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff, 255);
}

ImU32 NetColor(NetId id) { return VariantColor(g_columns[id == NetId::kLeft ? 0 : 1]); }
const char* NetTitle(NetId id) { return VariantTitle(g_columns[id == NetId::kLeft ? 0 : 1]); }

bool LightTheme() { return g_light; }
void SetLightTheme(bool light) { g_light = light; }
ImVec4 AccentText() { return g_light ? ImVec4(0.55f, 0.35f, 0.0f, 1.0f) : ImVec4(1.0f, 0.82f, 0.35f, 1.0f); }
ImU32 CurveColor() { return g_light ? IM_COL32(40, 40, 40, 220) : IM_COL32(230, 230, 230, 200); }
ImU32 ReferenceColor() { return g_light ? IM_COL32(60, 60, 60, 170) : IM_COL32(200, 200, 200, 150); }
ImU32 TextBacking(int alpha) { return g_light ? IM_COL32(255, 255, 255, alpha) : IM_COL32(0, 0, 0, alpha); }

ImU32 Ink(int alpha) { return g_light ? IM_COL32(25, 25, 30, alpha) : IM_COL32(235, 235, 235, alpha); }

ImFont* BigFont() { return g_big_font != nullptr ? g_big_font : ImGui::GetFont(); }
void SetBigFont(ImFont* font) { g_big_font = font; }

}  // namespace bnlab
