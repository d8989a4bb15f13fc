#include "app/shell/theme.h"

namespace bnlab {
namespace {
// The frame's theme, as ImGui's current style is: the App sets it once per frame (SetColumns,
// SetLightTheme, SetBigFont) and the views, free functions (STYLE.md), read it while drawing.
bool g_light = false;
ImFont* g_big_font = nullptr;
Variant g_columns[2] = {Variant::kNone, Variant::kBn};
}  // namespace

void SetColumns(Variant left, Variant right) {
  g_columns[0] = left;
  g_columns[1] = right;
}

ImU32 VariantColor(Variant variant) {
  switch (variant) {
    case Variant::kNone: return kPlainColor;                       // orange
    case Variant::kBn: return kBnColor;                            // blue
    case Variant::kBnAfter: return IM_COL32(40, 200, 170, 255);    // teal
    case Variant::kBnBias: return IM_COL32(170, 125, 255, 255);    // violet
    case Variant::kGhostBn: return IM_COL32(120, 200, 70, 255);    // green
    case Variant::kLayerNorm: return IM_COL32(240, 95, 175, 255);  // pink
    case Variant::kRenorm: return IM_COL32(215, 170, 95, 255);     // tan (red means alarm)
  }
  return kBnColor;
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
