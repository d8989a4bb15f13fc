#include "app/shell/plot_report.h"

#include "plot/plot.h"
#include "plot/plot_record.h"

#include <imgui_internal.h>  // the windows drawn

#include <cstdio>
#include <cstring>

namespace bnlab {

void StartPlotRecording() { plot::SetRecording(true); }

bool LastFrameDrew(const char* text) {
  for (const ImGuiWindow* window : ImGui::GetCurrentContext()->Windows) {
    if ((window->Active || window->WasActive) && !window->Hidden && std::strstr(window->Name, text) != nullptr)
      return true;
  }
  for (const plot::PlotRecord& record : plot::GetFrameRecords()) {
    if (std::strstr(record.title.c_str(), text) != nullptr) return true;
  }
  return false;
}

void PrintPlotReport() {
  for (const plot::PlotRecord& record : plot::GetFrameRecords()) {
    const char* title = record.title.c_str();
    const plot::LegendCover cover = plot::LegendCovers(record);
    std::printf(
        "plot: \"%s\"  area %.0f %.0f %.0f %.0f  legend %.0f %.0f %.0f %.0f  glyphs %zu  newest %zu  data %zu (%.0f%% "
        "under the legend)  font %.1f\n",
        title, record.area.min.x, record.area.min.y, record.area.max.x, record.area.max.y, record.legend.min.x,
        record.legend.min.y, record.legend.max.x, record.legend.max.y, record.glyphs.size(), record.newest.size(),
        record.data.size(), 100.0f * cover.data_share, record.smallest_font);
    if (cover.glyphs > 0 || cover.newest > 0) {
      std::printf(
          "plot-fail: \"%s\": its legend (%.0f, %.0f)-(%.0f, %.0f) covers %d glyphs of text and %d newest points, "
          "the first at (%.0f, %.0f)\n",
          title, record.legend.min.x, record.legend.min.y, record.legend.max.x, record.legend.max.y, cover.glyphs,
          cover.newest, cover.first.x, cover.first.y);
    }
    if (cover.data_share > plot::kLegendMaxDataShare) {
      std::printf("plot-fail: \"%s\": its legend hides %.0f%% of the plot's data (at most %.0f%%)\n", title,
                  100.0f * cover.data_share, 100.0f * plot::kLegendMaxDataShare);
    }
    if (record.smallest_font < record.body_font - 0.01f) {
      std::printf("plot-fail: \"%s\": text at %.1f px, smaller than the body font (%.1f px)\n", title,
                  record.smallest_font, record.body_font);
    }
  }
  std::fflush(stdout);
}

}  // namespace bnlab
