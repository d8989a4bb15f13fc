#include "app/shell/fonts_and_style.h"

#include <imgui_impl_opengl3.h>

#include "app/shell/theme.h"
#include "plot/plot.h"

#include <cstdio>
#include <filesystem>
#include <string>

namespace bnlab {
namespace {

constexpr float kBodyFontPixels = 18.0f;
constexpr float kBigFontPixels = 30.0f;
constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

}  // namespace

// ImGui 1.86 cannot scale fonts smoothly: build the atlas again at the new size.
void BuildFonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const std::string regular = std::string(kFontDir) + "DejaVuSans.ttf";
  const std::string bold = std::string(kFontDir) + "DejaVuSans-Bold.ttf";
  ImFontConfig config;
  config.OversampleH = 2;
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x22FF, 0};
  ImFont* body = nullptr;
  ImFont* big = nullptr;
  if (std::filesystem::exists(regular)) {
    body = io.Fonts->AddFontFromFileTTF(regular.c_str(), kBodyFontPixels * scale, &config, kRanges);
  }
  if (body == nullptr) {
    static bool warned = false;
    if (!warned)
      std::fprintf(stderr, "bnlab: %s not found (package fonts-dejavu-core); using ImGui's font\n", regular.c_str());
    warned = true;
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * scale;
    io.Fonts->AddFontDefault(&fallback);
  } else if (std::filesystem::exists(bold)) {
    big = io.Fonts->AddFontFromFileTTF(bold.c_str(), kBigFontPixels * scale, &config, kRanges);
  }
  SetBigFont(big);
}

ImVec4 PageColor(bool light) { return light ? ImVec4(0.93f, 0.93f, 0.92f, 1.0f) : ImVec4(0.08f, 0.08f, 0.09f, 1.0f); }

void ApplyStyle(float scale, bool light) {
  ImGuiStyle style;
  if (light) ImGui::StyleColorsLight(&style);
  else ImGui::StyleColorsDark(&style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.FramePadding = ImVec2(6.0f, 4.0f);
  style.ItemSpacing = ImVec2(8.0f, 6.0f);
  style.Colors[ImGuiCol_WindowBg] = PageColor(light);
  // A slider's grab is a thin mark under its value, never a block over the digits.
  style.GrabMinSize = 6.0f;
  style.Colors[ImGuiCol_SliderGrab].w = 0.55f;
  style.Colors[ImGuiCol_SliderGrabActive].w = 0.75f;
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  SetLightTheme(light);
  plot::SetScale(scale);  // the UI scale of every view (Ui(), Px()) and plot
}

namespace {

// The font atlas to the GPU; ImGui's own copies of its pixels (5 MB at UI scale 1, more above)
// are freed once the texture has them.
void UploadFonts() {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ImGui::GetIO().Fonts->ClearTexData();
}

}  // namespace

void RebuildForScale(float scale, bool light) {
  BuildFonts(scale);
  UploadFonts();
  ApplyStyle(scale, light);
}

}  // namespace bnlab
