// The fixture of the plot tests that draw: a headless ImGui context and a plot context at scale
// 1, and Frame(body), one ImGui frame with `body` in a full-screen window.
#pragma once

#include "plot/plot.h"

#include "headless_imgui.h"

#include <gtest/gtest.h>

#include <cfloat>

class PlotDrawTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = CreateHeadlessContext(ImVec2(1280.0f, 800.0f));
    ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    plot_context_ = plot::CreateContext();
    plot::SetScale(1.0f);
  }

  void TearDown() override {
    plot::DestroyContext(plot_context_);
    ImGui::DestroyContext(context_);
  }

  // One frame with `body` inside a full-screen window; returns the vertices
  // of every draw list rendered (the window's and any tooltip's).
  template <typename Body>
  int Frame(Body body) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("plots", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    body();
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }

  int DrawListCount() { return ImGui::GetDrawData()->CmdListsCount; }

  ImGuiContext* context_ = nullptr;
  plot::PlotContext* plot_context_ = nullptr;
};
