// The Inside BN view, in three files: the layout and the cache (inside_bn_panel.cpp), the strip
// plots of the forward and backward pass (strips.cpp), and the claims column
// (claims.cpp). What they derive from the record (value labels, summaries,
// scales, the what-if) lives in one app-owned InsideBnCache, rebuilt once per recorded batch.
#pragma once

#include "session/session.h"
#include "session/snapshot.h"
#include "app/shell/ui_state.h"

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bnlab {

inline constexpr ImU32 kHighlightColor = IM_COL32(255, 225, 60, 255);  // the chosen sample's path
inline constexpr ImU32 kStatColor = IM_COL32(80, 215, 120, 255);       // μ_B and ±σ_B marks
inline constexpr ImU32 kIdentityColor = IM_COL32(235, 105, 205, 255);  // the identity what-if's y

// Above this batch size a row shows a summary instead of one label per value.
inline constexpr int kLabelEveryValueUpTo = 16;

// One row of strips: a value per sample on a shared horizontal scale.
struct StripRow {
  std::string name;                 // left of the strip
  std::string short_name;           // where the name does not fit the row's height (else empty)
  std::vector<float> values;        // in batch order (gradients already ÷ 10^exponent)
  std::vector<std::string> labels;  // each value as shown beside its dot
  std::vector<int> by_value;        // sample indices by value: labels take lanes in this order
  std::string summary;              // min, max, mean, spread (every batch size)
  std::string short_summary;        // mean and spread, where the summary is wider than the strip
  int kind = 0;                     // StripKind: which marks and tooltip the row has
};

enum StripKind {
  kStripX,
  kStripXNorm,
  kStripGammaBeta,  // no values: β and β + γ on the shared scale
  kStripY,
  kStripActivation,
  kStripDy,
  kStripDirect,
  kStripViaMean,
  kStripViaVar,
  kStripDx,
};

struct InsideBnCache {
  std::uint64_t key = 0;
  bool valid = false;
  std::vector<StripRow> forward, backward;
  double forward_lo = -1.0, forward_hi = 1.0;    // x, x_norm, y and the activation on one scale
  double backward_lo = -1.0, backward_hi = 1.0;  // dL/dy and the three terms of dL/dx, ×10^-exponent
  int backward_exponent = 0;                     // gradients are shown as value / 10^exponent
  std::vector<double> group_sigma;               // σ_B = √σ²_B per group, for the ±σ_B marks
  int groups = 1;
  std::string stat_label;     // μ_B and σ_B, beside their marks on the x row
  std::string backward_note;  // dβ, dγ and the three-term check, on the header line
  // Claim 1 on this unit: mean and (biased) variance of x_norm over the batch, and the variance
  // ε makes it: Σ_g (n_g/n)·σ²_g/(σ²_g + ε).
  double xnorm_mean = 0.0, xnorm_var = 0.0, xnorm_var_expected = 1.0;
  // The same over every unit of the layer: the largest |mean| and the range of the variances.
  double units_xnorm_max_mean = 0.0, units_xnorm_var_lo = 1.0, units_xnorm_var_hi = 1.0;
  // Claim 2's what-if on this unit's numbers.
  std::vector<float> y_identity;
  double identity_error = 0.0;
  // Largest deviation of the three-term sum from the engine's dL/dx.
  double split_error = 0.0;
};

// inside_bn_panel.cpp: rebuilds the cache when the record changed.
void BuildInsideBnCache(const Snapshot& snapshot, InsideBnCache& cache);
// Which passes DrawInsideBnStrips draws.
enum StripPasses { kForwardPass = 1, kBackwardPass = 2, kBothPasses = 3 };
// The forward rows, the γ/β row and the backward rows, with the chosen sample highlighted (a
// click on a dot chooses another); the rows share the height of `size`.
void DrawInsideBnStrips(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache, const ImVec2& size,
                        int passes);
// inside_bn_panel.cpp: a row's formula with the chosen sample's numbers, as a tooltip.
void InsideBnRowTooltip(const Snapshot& snapshot, const InsideBnCache& cache, int kind, int sample);
// claims.cpp: claim 1 on this unit and on every unit of the layer, claim 2's
// what-if toggle, and how to follow the training batch by batch, in one column of `size`.
void DrawInsideBnClaims(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache, const ImVec2& size);
// The same in two columns (a wide, short area): the claims left, every unit's plot right.
void DrawInsideBnClaimsBeside(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache, const ImVec2& size);
// The layer (kSelectBnLayer) and unit (config.probe_unit) selectors of the Inside BN and the
// Train vs eval views (inside_bn_panel.cpp).
void DrawBnLayerUnitSelectors(const Snapshot& snapshot, Session& session);

}  // namespace bnlab
