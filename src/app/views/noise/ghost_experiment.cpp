// Does the noise of BN's statistics regularize? The ghost-BN experiment (Hoffer et al. 2017)
// run in the background: the same SGD batch and steps, BN's statistics over groups of g
// samples; train and test accuracy and their gap over seeds, and what the numbers say.
#include "app/views/noise/noise_panel.h"
#include "app/views/panel_util.h"
#include "app/shell/theme.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace bnlab {
namespace {

std::uint64_t ExperimentKey(const NoiseView& noise) {
  std::uint64_t key = HashBytes(kHashSeed, &noise.has_experiment, sizeof(noise.has_experiment));
  key = HashBytes(key, &noise.experiment.cancelled, sizeof(noise.experiment.cancelled));
  for (const GhostExperimentRow& row : noise.experiment.rows) {
    key = HashBytes(key, row.net.data(), row.net.size());
    key = HashBytes(key, &row.ghost_group, sizeof(row.ghost_group));
    for (double v : {row.train_mean, row.train_std, row.test_mean, row.test_std, row.gap_mean, row.gap_std}) {
      key = HashBytes(key, &v, sizeof(v));
    }
  }
  return key;
}

void UpdateExperimentCache(const NoiseView& noise, NoiseViewCache& cache) {
  const double now = ImGui::GetTime();
  if (noise.experiment_running && !cache.was_running) cache.run_started = now;
  if (!noise.experiment_running && cache.was_running && noise.experiment_error.empty() && !noise.experiment.cancelled) {
    cache.last_duration = now - cache.run_started;
  }
  cache.was_running = noise.experiment_running;
  const std::uint64_t key = ExperimentKey(noise);
  if (key == cache.experiment_key) return;
  cache.experiment_key = key;
  cache.verdict = noise.has_experiment ? GhostExperimentVerdict(noise.experiment) : std::string();
}

std::string GroupList(const std::vector<int>& groups) {
  std::string list;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) list += i + 1 == groups.size() ? " and " : ", ";
    list += std::to_string(groups[i]);
  }
  return list;
}

void DrawResultTable(const GhostExperimentResult& result) {
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##ghost_table", 5, flags)) return;
  ImGui::TableSetupColumn("net");
  ImGui::TableSetupColumn("statistics over");
  ImGui::TableSetupColumn("train %");
  ImGui::TableSetupColumn("test %");
  ImGui::TableSetupColumn("gap %");
  ImGui::TableHeadersRow();
  for (const GhostExperimentRow& row : result.rows) {
    const bool plain = row.ghost_group == 0;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(NetColor(plain ? NetId::kLeft : NetId::kRight)), "%s",
                       VariantTitle(plain ? VariantNamed("none") : VariantNamed("bn")));
    ImGui::TableNextColumn();
    if (plain) ImGui::TextDisabled("no BN");
    else ImGui::Text("g = %d", row.ghost_group);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f \u00b1 %.1f", 100.0 * row.train_mean, 100.0 * row.train_std);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f \u00b1 %.1f", 100.0 * row.test_mean, 100.0 * row.test_std);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f \u00b1 %.1f", 100.0 * row.gap_mean, 100.0 * row.gap_std);
  }
  ImGui::EndTable();
}

}  // namespace

void DrawGhostExperimentPanel(const Snapshot& snapshot, Session& session, NoiseViewCache& cache, const ImVec2& size) {
  const NoiseView& noise = snapshot.noise;
  UpdateExperimentCache(noise, cache);
  ImGui::BeginChild("##ghost_experiment", size, true);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(BigFont());
  ImGui::TextUnformatted("Does the noise regularize?");
  ImGui::PopFont();

  // What is (or was) run: the session's options once it has started, the engine's defaults before.
  const GhostExperimentOptions options =
      noise.experiment_running || noise.has_experiment ? noise.experiment_options : GhostExperimentOptions{};
  char what[512];
  std::snprintf(what, sizeof(what),
                "Ghost BN: every run takes the same SGD batch of %d and the same %ld steps on %d training images; BN "
                "computes \u03bc_B and \u03c3\u00b2_B over groups of g = %s samples inside the batch, so only the "
                "noise of the statistics changes. %d seeds each. If the noise regularizes, a smaller g gives a smaller "
                "train\u2212test gap.",
                options.batch_size, options.steps, options.train_subset, GroupList(options.ghost_groups).c_str(),
                options.seeds);
  // Once there are results they need the room; the description moves to a tooltip.
  if (noise.has_experiment) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", what);
  } else {
    ImGui::TextDisabled("%s", what);
  }

  if (noise.experiment_running) {
    const int total = std::max(noise.experiment_total, 1);
    char progress[48];
    std::snprintf(progress, sizeof(progress), "%d of %d runs", noise.experiment_done, noise.experiment_total);
    const float cancel_width = ImGui::CalcTextSize("Cancel").x + 2.0f * ImGui::GetStyle().FramePadding.x;
    ImGui::ProgressBar(static_cast<float>(noise.experiment_done) / static_cast<float>(total),
                       ImVec2(ImGui::GetContentRegionAvail().x - cancel_width - ImGui::GetStyle().ItemSpacing.x, 0.0f),
                       progress);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) session.Send(cmd::CancelExperiment{});
    const double elapsed = ImGui::GetTime() - cache.run_started;
    if (noise.experiment_done > 0) {
      const double left = elapsed / noise.experiment_done * (noise.experiment_total - noise.experiment_done);
      ImGui::Text("%.0f s so far, about %.0f s left. Training slows meanwhile: the runs use both cores.", elapsed,
                  left);
    } else {
      ImGui::Text("%.0f s so far. Training slows meanwhile: the runs use both cores.", elapsed);
    }
  } else {
    if (ImGui::Button(noise.has_experiment ? "Run again" : "Run experiment")) {
      session.Send(cmd::RunExperiment{});
    }
    ImGui::SameLine();
    if (cache.last_duration > 0.0) {
      ImGui::TextDisabled("The last run took %.0f s; training slows meanwhile (it uses both cores).",
                          cache.last_duration);
    } else {
      // How long it takes depends on the machine and on what else runs: the panel times the
      // run while it goes, and says how long the last one took.
      ImGui::TextDisabled("%d runs of %ld steps: a minute or more; training slows meanwhile (it uses both cores).",
                          options.seeds * (1 + static_cast<int>(options.ghost_groups.size())), options.steps);
    }
  }
  if (!noise.experiment_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kAlarmColor));
    ImGui::Text("The experiment could not run: %s", noise.experiment_error.c_str());
    ImGui::PopStyleColor();
  }
  if (noise.has_experiment) {
    DrawResultTable(noise.experiment);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kCautionColor));
    ImGui::TextUnformatted(cache.verdict.c_str());
    ImGui::PopStyleColor();
    const GhostExperimentOptions& ran = noise.experiment_options;
    ImGui::TextDisabled("Ran: batch %d, %ld steps, %d images, %d seeds; eval mode; \u00b1: std over seeds.",
                        ran.batch_size, ran.steps, ran.train_subset, ran.seeds);
  }
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
}

}  // namespace bnlab
