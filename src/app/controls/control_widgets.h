// The control panel's small widgets, shared by its sections (controls_panel.cpp,
// setting_controls.cpp): a section header, an error line, and a slider captioned above.
#pragma once

#include <imgui.h>

#include <cmath>
#include <string>

namespace bnlab {

// A problem to fix, in the views' alarm colour, wrapped to the panel's width.
void ErrorText(const std::string& text);
void SectionHeader(const char* text);
// `value` formatted with a printf `format` ("%.3g").
std::string Printed(const char* format, double value);

// The setting's name and value on a line of their own, the value bright and right-aligned; the
// slider below draws no text, so its grab never sits on the digits.
void SliderCaption(const char* name, const char* value);

// `slider` draws the slider and returns whether it changed `*value`; a non-finite value typed
// into it (Ctrl+click makes a slider a text field, and "nan" parses) counts as no change. The
// slider keeps its format (ImGui derives the rounding from it) but draws it invisibly.
template <typename T, typename Slider>
bool CaptionedSlider(const char* name, const std::string& text, const T* value, Slider slider) {
  ImGui::PushID(name);
  SliderCaption(name, text.c_str());
  ImGui::SetNextItemWidth(-1);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0, 0, 0, 0));
  const bool changed = slider() && std::isfinite(static_cast<double>(*value));
  ImGui::PopStyleColor();
  ImGui::PopID();
  return changed;
}

}  // namespace bnlab
