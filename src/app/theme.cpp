#include "app/theme.h"

namespace bnlab {
namespace {
float g_ui_scale = 1.0f;
ImFont* g_big_font = nullptr;
}  // namespace

float Ui() { return g_ui_scale; }
void SetUi(float scale) { g_ui_scale = scale; }

ImFont* BigFont() { return g_big_font != nullptr ? g_big_font : ImGui::GetFont(); }
void SetBigFont(ImFont* font) { g_big_font = font; }

}  // namespace bnlab
