// Inside BN: what does the formula do to actual numbers? One unit of the BN net on the real
// mini-batch of the last training step: x, μ_B, σ_B, x_norm, γ, β, y and the activation as strip
// plots (strips.cpp), the backward pass's three terms, the check of claim 1 on
// this unit and every unit of the layer, and claim 2 as a what-if on these numbers.
#include "app/views/inside_bn/inside_bn_panel.h"

#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"  // GroupedSteps

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

std::string Format(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  if (std::string(text).find_first_not_of("-0.") == std::string::npos)
    std::snprintf(text, sizeof(text), "%.*f", decimals, 0.0);
  return text;
}

// Enough decimals to tell values apart on a strip `range` wide.
int DecimalsFor(double range) {
  if (!(range > 0.0)) return 2;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(range / 300.0))), 0, 4);
}

void Extend(const std::vector<float>& values, double* lo, double* hi) {
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    *lo = std::min(*lo, static_cast<double>(v));
    *hi = std::max(*hi, static_cast<double>(v));
  }
}

void Pad(double* lo, double* hi) {
  if (!(*lo <= *hi)) *lo = -1.0, *hi = 1.0;
  const double range = std::max(*hi - *lo, 1e-6);
  *lo -= 0.04 * range;
  *hi += 0.04 * range;
}

StripRow MakeRow(std::string name, const std::vector<float>& values, int kind, double scale, int decimals) {
  StripRow row;
  row.name = std::move(name);
  row.kind = kind;
  row.values.resize(values.size());
  double sum = 0.0, sum_sq = 0.0, lo = HUGE_VAL, hi = -HUGE_VAL;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i] * scale;
    row.values[i] = static_cast<float>(v);
    row.labels.push_back(Format(v, decimals));
    sum += v, sum_sq += v * v, lo = std::min(lo, v), hi = std::max(hi, v);
  }
  row.by_value.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) row.by_value[i] = static_cast<int>(i);
  // Sorted once per record, so neighbours alternate lanes the same way every frame.
  std::stable_sort(row.by_value.begin(), row.by_value.end(), [&](int a, int b) {
    return row.values[static_cast<std::size_t>(a)] < row.values[static_cast<std::size_t>(b)];
  });
  const double n = std::max<double>(static_cast<double>(values.size()), 1.0);
  const double mean = sum / n;
  if (values.size() > static_cast<std::size_t>(kLabelEveryValueUpTo)) {
    row.short_summary = "mean " + Format(mean, decimals) + " \u00b7 sd " +
                        Format(std::sqrt(std::max(sum_sq / n - mean * mean, 0.0)), decimals);
    row.summary =
        "min " + Format(lo, decimals) + " \u00b7 max " + Format(hi, decimals) + " \u00b7 " + row.short_summary;
  }
  return row;
}

std::uint64_t RecordKey(const Snapshot& snapshot) {
  const InsideBnView& inside = snapshot.inside;
  std::uint64_t key = snapshot.generation * 1000003ull + static_cast<std::uint64_t>(inside.step);
  key = key * 31 + static_cast<std::uint64_t>(inside.record.layer);
  key = key * 131 + static_cast<std::uint64_t>(inside.record.unit);
  key = key * 1031 + static_cast<std::uint64_t>(inside.record.batch_size());
  return key * 2 + (inside.has_record ? 1 : 0);
}

}  // namespace

namespace {

// Claim 1 on this unit, from the record's own x_norm, and on every unit of its layer; the check
// that the backward pass's three terms add up to the engine's dL/dx.
void MeasureClaims(const BnUnitRecord& r, InsideBnCache& cache) {
  const double n = r.batch_size();
  double sum = 0.0, sum_sq = 0.0, expected = 0.0;
  for (float v : r.x_hat) sum += v;
  cache.xnorm_mean = sum / n;
  for (float v : r.x_hat) sum_sq += (v - cache.xnorm_mean) * (v - cache.xnorm_mean);
  cache.xnorm_var = sum_sq / n;
  for (int i = 0; i < r.batch_size(); ++i) {
    const double var = r.batch_var[static_cast<std::size_t>(r.group[static_cast<std::size_t>(i)])];
    expected += var / (var + r.eps) / n;
  }
  cache.xnorm_var_expected = expected;
  cache.units_xnorm_max_mean = 0.0;
  cache.units_xnorm_var_lo = HUGE_VAL, cache.units_xnorm_var_hi = -HUGE_VAL;
  for (std::size_t u = 0; u < r.xhat_mean.size(); ++u) {
    cache.units_xnorm_max_mean = std::max(cache.units_xnorm_max_mean, std::fabs(static_cast<double>(r.xhat_mean[u])));
    cache.units_xnorm_var_lo = std::min(cache.units_xnorm_var_lo, static_cast<double>(r.xhat_var[u]));
    cache.units_xnorm_var_hi = std::max(cache.units_xnorm_var_hi, static_cast<double>(r.xhat_var[u]));
  }
  cache.split_error = 0.0;
  for (std::size_t i = 0; i < r.dx.size(); ++i) {
    const double sum3 = static_cast<double>(r.dx_direct[i]) + r.dx_via_mean[i] + r.dx_via_var[i];
    cache.split_error = std::max(cache.split_error, std::fabs(sum3 - r.dx[i]));
  }
}

// x, x_norm, γ and β, y and the activation on one shared scale.
void BuildForwardRows(const Snapshot& snapshot, InsideBnCache& cache) {
  const BnUnitRecord& r = snapshot.inside.record;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (const std::vector<float>* series : {&r.x, &r.x_hat, &r.y, &r.activation}) Extend(*series, &lo, &hi);
  Extend({r.beta, r.beta + r.gamma}, &lo, &hi);
  Pad(&lo, &hi);
  cache.forward_lo = lo, cache.forward_hi = hi;
  const int decimals = DecimalsFor(hi - lo);
  const char* f = ActivationSymbol(snapshot.config.net.activation);
  const bool before = r.placement == Placement::kBefore;
  char name[128];
  const char* linear = snapshot.config.net.bias_before_bn ? "W\u00b7a + b" : "W\u00b7a";
  if (before) std::snprintf(name, sizeof(name), "x = %s (Linear output)", linear);
  else std::snprintf(name, sizeof(name), "x = %s(%s) (activation output)", f, linear);
  cache.forward.push_back(MakeRow(name, r.x, kStripX, 1.0, decimals));
  if (cache.groups == 1) {
    cache.stat_label =
        "\u03bc_B = " + Format(r.batch_mean[0], decimals) + ", \u03c3_B = " + Format(cache.group_sigma[0], decimals);
  } else {
    cache.stat_label = std::to_string(cache.groups) + " ghost groups: own \u03bc_B, \u03c3_B each";
  }
  cache.forward.push_back(
      MakeRow("x_norm = (x \u2212 \u03bc_B)/\u221a(\u03c3\u00b2_B+\u03b5)", r.x_hat, kStripXNorm, 1.0, decimals));
  StripRow gamma_beta;
  gamma_beta.name = "\u03b3 and \u03b2 (learned): 0 \u2192 \u03b2, 1 \u2192 \u03b2 + \u03b3";
  gamma_beta.short_name = "\u03b3 and \u03b2 (learned)";
  gamma_beta.kind = kStripGammaBeta;
  cache.forward.push_back(gamma_beta);
  cache.forward.push_back(MakeRow("y = \u03b3\u00b7x_norm + \u03b2", r.y, kStripY, 1.0, decimals));
  std::snprintf(name, sizeof(name), before ? "%s(y), what the next layer gets" : "%s(z) = x (BN is after it)", f);
  cache.forward.push_back(MakeRow(name, r.activation, kStripActivation, 1.0, decimals));
}

// dL/dy, the three terms of dL/dx and their sum, on one scale of a power of ten.
void BuildBackwardRows(const BnUnitRecord& r, InsideBnCache& cache) {
  // Gradients are small: one power of ten for the whole pass, so the labels stay short.
  double largest = 0.0;
  for (const std::vector<float>* series : {&r.dy, &r.dx_direct, &r.dx_via_mean, &r.dx_via_var, &r.dx}) {
    for (float v : *series) largest = std::max(largest, std::fabs(static_cast<double>(v)));
  }
  cache.backward_exponent =
      largest > 0.0 && std::isfinite(largest) ? static_cast<int>(std::floor(std::log10(largest))) : 0;
  const double scale = std::pow(10.0, -cache.backward_exponent);
  double blo = 0.0, bhi = 0.0;
  for (const std::vector<float>* series : {&r.dy, &r.dx_direct, &r.dx_via_mean, &r.dx_via_var, &r.dx}) {
    for (float v : *series) blo = std::min(blo, v * scale), bhi = std::max(bhi, v * scale);
  }
  Pad(&blo, &bhi);
  cache.backward_lo = blo, cache.backward_hi = bhi;
  const int bdecimals = DecimalsFor(bhi - blo);
  cache.backward.push_back(MakeRow("g = dL/dy, from the layers above", r.dy, kStripDy, scale, bdecimals));
  cache.backward.push_back(
      MakeRow("direct: \u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7g_i", r.dx_direct, kStripDirect, scale, bdecimals));
  cache.backward.push_back(MakeRow("through \u03bc_B: \u2212\u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7mean(g)",
                                   r.dx_via_mean, kStripViaMean, scale, bdecimals));
  cache.backward.push_back(MakeRow(
      "through \u03c3\u00b2_B: \u2212\u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7x_norm_i\u00b7mean(g\u00b7x_norm)",
      r.dx_via_var, kStripViaVar, scale, bdecimals));
  cache.backward.push_back(MakeRow("dL/dx = the sum (the engine's gradient)", r.dx, kStripDx, scale, bdecimals));
  char sums[160];
  std::snprintf(
      sums, sizeof(sums),
      "d\u03b2 = \u03a3g = %.3g \u00b7 d\u03b3 = \u03a3g\u00b7x_norm = %.3g \u00b7 terms \u2212 engine \u2264 %.0e",
      r.dbeta, r.dgamma, cache.split_error);
  cache.backward_note = sums;
}

}  // namespace

void BuildInsideBnCache(const Snapshot& snapshot, InsideBnCache& cache) {
  const std::uint64_t key = RecordKey(snapshot);
  if (cache.valid && key == cache.key) return;
  cache.key = key;
  const BnUnitRecord& r = snapshot.inside.record;
  cache.valid = snapshot.inside.has_record && r.batch_size() > 0 && !r.batch_mean.empty();
  cache.forward.clear();
  cache.backward.clear();
  if (!cache.valid) return;
  cache.groups = static_cast<int>(r.batch_mean.size());
  cache.group_sigma.clear();
  for (float var : r.batch_var) cache.group_sigma.push_back(std::sqrt(std::max(static_cast<double>(var), 0.0)));
  cache.identity_error = IdentityWhatIfError(r, &cache.y_identity);

  MeasureClaims(r, cache);
  BuildForwardRows(snapshot, cache);
  BuildBackwardRows(r, cache);
}

void InsideBnRowTooltip(const Snapshot& snapshot, const InsideBnCache& cache, int kind, int sample) {
  const BnUnitRecord& r = snapshot.inside.record;
  const std::size_t i = static_cast<std::size_t>(std::clamp(sample, 0, r.batch_size() - 1));
  const std::size_t g = static_cast<std::size_t>(r.group[i]);
  const double mean = r.batch_mean[g], var = r.batch_var[g];
  const double inv_std = 1.0 / std::sqrt(var + r.eps);
  int n = 0;
  for (int group : r.group) n += group == static_cast<int>(g) ? 1 : 0;
  ImGuiTextBuffer text;
  const char* of = cache.groups > 1 ? " of its ghost group" : " of the batch";
  switch (kind) {
    case kStripX:
      text.appendf(
          "x_i: what BN normalizes, one value per sample. \u03bc_B = (1/m)\u03a3 x_i = %.4f and \u03c3\u00b2_B = "
          "(1/m)\u03a3 (x_i \u2212 \u03bc_B)\u00b2 = %.4f over the %d samples%s (green tick and bracket: \u03bc_B "
          "and \u00b1\u03c3_B).",
          mean, var, n, of);
      break;
    case kStripXNorm:
      text.appendf(
          "x_norm_i = (x_i \u2212 \u03bc_B)/\u221a(\u03c3\u00b2_B + \u03b5). The yellow sample: (%.4f \u2212 %.4f) / "
          "\u221a(%.4f + %.0e) = %.4f. Every batch lands with mean 0 and variance \u03c3\u00b2/(\u03c3\u00b2+\u03b5) "
          "\u2248 1 (ticks at \u00b11).",
          r.x[i], mean, var, r.eps, r.x_hat[i]);
      break;
    case kStripGammaBeta:
      text.appendf(
          "\u03b3 = %.4f and \u03b2 = %.4f are learned like weights: they choose the mean (\u03b2) and the spread "
          "(\u03b3) the next layer sees, so normalizing costs the net nothing (claim 2).",
          r.gamma, r.beta);
      break;
    case kStripY:
      text.appendf("y_i = \u03b3\u00b7x_norm_i + \u03b2. The yellow sample: %.4f\u00b7%.4f + %.4f = %.4f.", r.gamma,
                   r.x_hat[i], r.beta, r.y[i]);
      break;
    case kStripActivation: text.appendf("The activation's output for the yellow sample: %.4f.", r.activation[i]); break;
    case kStripDy:
      text.appendf(
          "g_i = dL/dy_i, what the loss says about this unit's output, back from the layers above. "
          "d\u03b2 = \u03a3 g_i = %.4g, d\u03b3 = \u03a3 g_i\u00b7x_norm_i = %.4g. The yellow sample: g = %.4g.",
          r.dbeta, r.dgamma, r.dy[i]);
      break;
    case kStripDirect:
      text.appendf(
          "\u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7g_i: the path x_i \u2192 x_norm_i, as if \u03bc_B and \u03c3\u00b2_B "
          "were constants. Yellow sample: %.4f \u00b7 %.4g = %.4g.",
          r.gamma * inv_std, r.dy[i], r.dx_direct[i]);
      break;
    case kStripViaMean:
      text.appendf(
          "\u2212\u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7(1/n)\u03a3_j g_j: x_i also moves \u03bc_B, which shifts "
          "every x_norm_j. The same for all %d samples%s: %.4g.",
          n, of, r.dx_via_mean[i]);
      break;
    case kStripViaVar:
      text.appendf(
          "\u2212\u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7x_norm_i\u00b7(1/n)\u03a3_j g_j\u00b7x_norm_j: x_i also moves "
          "\u03c3\u00b2_B, which rescales every x_norm_j; proportional to x_norm_i. Yellow sample: %.4f \u00b7 "
          "%.4f \u00b7 mean(g\u00b7x_norm) = %.4g.",
          -r.gamma * inv_std, r.x_hat[i], r.dx_via_var[i]);
      break;
    case kStripDx:
      text.appendf(
          "The three rows above, added: %.4g + %.4g + %.4g = %.4g; the engine's own dL/dx_i = %.4g. Their "
          "sum over the batch is 0: BN passes back no gradient that would just move the mean.",
          r.dx_direct[i], r.dx_via_mean[i], r.dx_via_var[i],
          static_cast<double>(r.dx_direct[i]) + r.dx_via_mean[i] + r.dx_via_var[i], r.dx[i]);
      break;
    default: return;
  }
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
  TextWrappedAtSpaces("%s", text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Layer (kSelectBnLayer) and unit (config.probe_unit) of the two BN views.
void DrawBnLayerUnitSelectors(const Snapshot& snapshot, Session& session) {
  const int layers = static_cast<int>(snapshot.config.net.hidden.size());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("BN layer");
  for (int l = 0; l < layers; ++l) {
    ImGui::SameLine();
    char label[32];
    std::snprintf(label, sizeof(label), "%d##bnlayer", l + 1);
    if (ImGui::RadioButton(label, snapshot.bn_layer == l) && snapshot.bn_layer != l) {
      session.Send(cmd::SelectBnLayer{l});
    }
  }
  int smallest = 0;
  for (int width : snapshot.config.net.hidden) smallest = smallest == 0 ? width : std::min(smallest, width);
  const int last_unit = std::max(smallest - 1, 0);
  ImGui::SameLine(0.0f, Px(24.0f));
  ImGui::TextUnformatted("unit");
  ImGui::SameLine();
  int unit = snapshot.config.probe_unit;
  ImGui::SetNextItemWidth(Px(130.0f));
  if (ImGui::InputInt("##bnunit", &unit, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue)) {
    unit = std::clamp(unit, 0, last_unit);
    if (unit != snapshot.config.probe_unit) {
      session.Send(cmd::SetProbeUnit{unit});
    }
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Which unit of the layer to show (0 to %d).", last_unit);
}

void DrawInsideBnPanel(const Snapshot& snapshot, UiState& ui, Session& session, InsideBnCache& cache,
                       const ImVec2& size) {
  ImGui::BeginChild("##inside_bn_panel", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (DrawNeedsBnColumn(snapshot, ImGui::GetContentRegionAvail())) {
    ImGui::EndChild();
    return;
  }
  BuildInsideBnCache(snapshot, cache);
  DrawBnLayerUnitSelectors(snapshot, session);
  const InsideBnView& inside = snapshot.inside;
  const int m = inside.record.batch_size();
  ui.inside_sample = std::clamp(ui.inside_sample, 0, std::max(m - 1, 0));
  if (cache.valid) {
    ImGui::SameLine(0.0f, Px(24.0f));
    char line[200];
    std::snprintf(line, sizeof(line),
                  "step %s \u00b7 m = %d \u00b7 following sample %d (training example #%d, class %d)",
                  GroupedSteps(inside.step).c_str(), m, ui.inside_sample + 1,
                  ui.inside_sample < static_cast<int>(inside.samples.size())
                      ? inside.samples[static_cast<std::size_t>(ui.inside_sample)]
                      : -1,
                  ui.inside_sample < static_cast<int>(inside.labels.size())
                      ? inside.labels[static_cast<std::size_t>(ui.inside_sample)]
                      : -1);
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(line).x) ImGui::NewLine();
    TextWrappedAtSpaces("%s", line);
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (!cache.valid) {
    const char* text = snapshot.paused ? "Paused: press N to train one step and see its batch."
                                       : "Waiting for the next training step\u2026";
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 text_size = ScaledTextSize(1.5f, text);
    ImGui::Dummy(avail);
    DrawScaledText(ImGui::GetWindowDrawList(),
                   ImVec2(origin.x + 0.5f * (avail.x - text_size.x), origin.y + 0.5f * (avail.y - text_size.y)), 1.5f,
                   ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
    ImGui::EndChild();
    return;
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  if (avail.x >= Px(1050.0f)) {
    const float right = std::max(Px(360.0f), std::floor(0.3f * avail.x));
    DrawInsideBnStrips(snapshot, ui, cache, ImVec2(avail.x - right - style.ItemSpacing.x, avail.y), kBothPasses);
    ImGui::SameLine();
    DrawInsideBnClaims(snapshot, ui, cache, ImVec2(right, avail.y));
  } else {
    // A projector's large UI scale: one part at a time, chosen here.
    int& part = ui.view_page[static_cast<std::size_t>(View::kInsideBn)];
    static constexpr const char* kParts[] = {"forward pass", "backward pass", "claims 1 and 2"};
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("show");
    for (int i = 0; i < 3; ++i) {
      ImGui::SameLine();
      if (ImGui::RadioButton(kParts[i], part == i)) part = i;
    }
    part = std::clamp(part, 0, 2);
    const ImVec2 rest = ImGui::GetContentRegionAvail();
    if (part == 2) DrawInsideBnClaimsBeside(snapshot, ui, cache, rest);
    else DrawInsideBnStrips(snapshot, ui, cache, rest, part == 0 ? kForwardPass : kBackwardPass);
  }
  ImGui::EndChild();
}

}  // namespace bnlab
