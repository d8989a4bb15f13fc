#include "app/controls/control_widgets.h"

#include "app/shell/theme.h"
#include "app/views/panel_util.h"

#include <algorithm>
#include <cstdio>

namespace bnlab {

void ErrorText(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kAlarmColor));
  TextWrappedAtSpaces("%s", text.c_str());
  ImGui::PopStyleColor();
}

void SectionHeader(const char* text) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text,
                        LightTheme() ? ImVec4(0.1f, 0.3f, 0.6f, 1.0f) : ImVec4(0.65f, 0.75f, 0.9f, 1.0f));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::Separator();
}

std::string Printed(const char* format, double value) {
  char text[48];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

void SliderCaption(const char* name, const char* value) {
  ImGui::TextUnformatted(name);
  ImGui::SameLine();
  const float right = ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(value).x;
  ImGui::SetCursorPosX(std::max(right, ImGui::GetCursorPosX()));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram));
  ImGui::TextUnformatted(value);
  ImGui::PopStyleColor();
}

}  // namespace bnlab
