// A Dear ImGui context for tests without a window or GPU: a display size, a built font
// atlas (NewFrame needs one), no ini or log file, and draw lists past 65 536 vertices in
// 16-bit-index pieces (RendererHasVtxOffset), as the real renderer allows.
#pragma once

#include <imgui.h>

inline ImGuiContext* CreateHeadlessContext(ImVec2 display_size) {
  ImGuiContext* context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = display_size;
  io.DeltaTime = 1.0f / 60.0f;
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  return context;
}
