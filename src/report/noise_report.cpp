#include "report/noise_report.h"

#include "engine/cpu_level.h"
#include "settings/setting_table.h"
#include "report/json.h"
#include "report/text_format.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace bnlab {
namespace {

Json QuartilesJson(const Quartiles& q) {
  return Json{{"q25", JsonNumber(q.q25)}, {"median", JsonNumber(q.median)}, {"q75", JsonNumber(q.q75)}};
}

std::string Architecture(const TrainConfig& config) {
  std::string text = std::to_string(config.net.input_size);
  for (int width : config.net.hidden) text += "-" + std::to_string(width);
  return text + "-" + std::to_string(config.net.num_classes) + " " + ActivationName(config.net.activation);
}

// A fitted slope, or "not fitted": never "nan" in the table.
std::string SlopeText(double slope) { return std::isfinite(slope) ? Fixed(slope, 0, 3) : "not fitted"; }

}  // namespace

std::string NoiseTable(const NoiseRun& run, const std::vector<NoisePoint>& points, const NoiseSlopes& slopes) {
  const TrainConfig& config = *run.config;
  std::string out = Format("bnlab noise: %s (%d training samples), %s, after %ld steps at batch %d (seed %llu)\n",
                           run.dataset.c_str(), run.train_size, Architecture(config).c_str(), run.trained_steps,
                           config.batch_size, static_cast<unsigned long long>(config.seed));
  out += Format("K = %d batches per size, drawn without replacement; medians over each layer's units (%.2f s)\n",
                run.options.draws, run.seconds);
  const char* left = ColumnLabel(config, NetId::kLeft);
  const char* right = ColumnLabel(config, NetId::kRight);
  const std::string title = VariantTitle(ColumnVariant(config, run.statistics));
  for (int l : run.layers) {
    out += "\n" + title +
           Format(" layer %d          std(mu_B)/sigma     std(var_B)/var     mean(var_B)/var    x-hat noise\n", l + 1);
    out += "  batch        measured  theory   measured  theory   measured  theory   of one sample\n";
    for (const NoisePoint& point : points) {
      const LayerNoise& layer = point.layers[static_cast<std::size_t>(l)];
      out += Format("  %5d        %s %s   %s %s   %s %s   %s\n", point.batch_size,
                    Fixed(layer.std_batch_mean.median, 8, 4).c_str(), Fixed(layer.std_batch_mean_theory, 7, 4).c_str(),
                    Fixed(layer.std_batch_var.median, 8, 4).c_str(), Fixed(layer.std_batch_var_theory, 7, 4).c_str(),
                    Fixed(layer.mean_batch_var.median, 8, 4).c_str(), Fixed(layer.mean_batch_var_theory, 7, 4).c_str(),
                    Fixed(layer.sample_noise.median, 8, 4).c_str());
    }
  }
  if (run.options.gradients) {
    out += "\nGradient noise   cos(g_B, g)          E|g_B - E g_B|^2 / |g|^2\n";
    out += Format("  batch          %-11s %-11s %-13s %s\n", left, right, left, right);
    for (const NoisePoint& point : points) {
      out += Format("  %5d        %s  %s   %s  %s\n", point.batch_size, Fixed(point.gradient[0].cosine, 8, 4).c_str(),
                    Fixed(point.gradient[1].cosine, 8, 4).c_str(), Fixed(point.gradient[0].rel_var, 11, 4).c_str(),
                    Fixed(point.gradient[1].rel_var, 11, 4).c_str());
    }
  }
  out += Format("\nFitted log-log slopes (batch sizes up to N/4 = %d):\n", run.train_size / 4);
  bool all_fitted = true;
  auto slope_text = [&](double slope) {
    all_fitted = all_fitted && std::isfinite(slope);
    return SlopeText(slope);
  };
  for (int l : run.layers) {
    const std::size_t i = static_cast<std::size_t>(l);
    out += Format("  layer %d: std(mu_B) %s (theory -0.5), std(var_B) %s (theory -0.5 for large m), x-hat noise %s\n",
                  l + 1, slope_text(slopes.std_batch_mean[i]).c_str(), slope_text(slopes.std_batch_var[i]).c_str(),
                  slope_text(slopes.sample_noise[i]).c_str());
  }
  if (run.options.gradients) {
    out += Format(
        "  gradient relative variance (batch sizes from %d): %s %s, %s %s (-1 when samples' gradients are "
        "independent)\n",
        kGradientFitMinBatch, left, slope_text(slopes.grad_rel_var[0]).c_str(), right,
        slope_text(slopes.grad_rel_var[1]).c_str());
  }
  if (!all_fitted) {
    out += "  (not fitted: fewer than two of the batch sizes measured are in the fit's range with a figure above 0)\n";
  }
  return out;
}

std::string NoiseCsv(const NoiseRun& run, const std::vector<NoisePoint>& points) {
  const std::string left = ColumnLabel(*run.config, NetId::kLeft);
  const std::string right = ColumnLabel(*run.config, NetId::kRight);
  std::string out =
      "batch_size,layer,std_batch_mean,std_batch_mean_theory,std_batch_var,std_batch_var_theory,sample_noise,"
      "grad_cosine_" +
      left + ",grad_cosine_" + right + ",grad_rel_var_" + left + ",grad_rel_var_" + right +
      ",std_batch_mean_q25,std_batch_mean_q75,"
      "std_batch_var_q25,std_batch_var_q75,mean_batch_var,mean_batch_var_theory,sample_noise_q25,sample_noise_q75\n";
  for (const NoisePoint& point : points) {
    for (int l : run.layers) {
      const LayerNoise& layer = point.layers[static_cast<std::size_t>(l)];
      auto gradient = [&](double value) { return run.options.gradients ? Number(value) : std::string(); };
      out += std::to_string(point.batch_size) + "," + std::to_string(l + 1) + "," +
             Number(layer.std_batch_mean.median) + "," + Number(layer.std_batch_mean_theory) + "," +
             Number(layer.std_batch_var.median) + "," + Number(layer.std_batch_var_theory) + "," +
             Number(layer.sample_noise.median) + "," + gradient(point.gradient[0].cosine) + "," +
             gradient(point.gradient[1].cosine) + "," + gradient(point.gradient[0].rel_var) + "," +
             gradient(point.gradient[1].rel_var) + "," + Number(layer.std_batch_mean.q25) + "," +
             Number(layer.std_batch_mean.q75) + "," + Number(layer.std_batch_var.q25) + "," +
             Number(layer.std_batch_var.q75) + "," + Number(layer.mean_batch_var.median) + "," +
             Number(layer.mean_batch_var_theory) + "," + Number(layer.sample_noise.q25) + "," +
             Number(layer.sample_noise.q75) + "\n";
    }
  }
  return out;
}

std::string NoiseJson(const NoiseRun& run, const std::vector<NoisePoint>& points, const NoiseSlopes& slopes) {
  const TrainConfig& config = *run.config;
  Json json;
  json["cpu_level"] = CpuLevel();  // the engine level that ran (engine/cpu_level.h)
  json["dataset"] = run.dataset;
  json["train_size"] = run.train_size;
  json["hidden"] = config.net.hidden;
  json["activation"] = ActivationName(config.net.activation);
  json["trained_steps"] = run.trained_steps;
  json["batch"] = config.batch_size;
  json["seed"] = config.seed;
  json["draws"] = run.options.draws;
  json["sample"] = run.options.sample;
  json["seconds"] = run.seconds;
  json["left"] = VariantKey(config.left);
  json["right"] = VariantKey(config.right);
  json["statistics"] = ColumnLabel(config, run.statistics);
  Json& rows = json["points"] = Json::array();
  for (const NoisePoint& point : points) {
    Json row;
    row["batch_size"] = point.batch_size;
    Json& layers = row["layers"] = Json::array();
    for (int l : run.layers) {
      const LayerNoise& layer = point.layers[static_cast<std::size_t>(l)];
      layers.push_back(Json{{"layer", l + 1},
                            {"std_batch_mean", QuartilesJson(layer.std_batch_mean)},
                            {"std_batch_mean_theory", JsonNumber(layer.std_batch_mean_theory)},
                            {"std_batch_var", QuartilesJson(layer.std_batch_var)},
                            {"std_batch_var_theory", JsonNumber(layer.std_batch_var_theory)},
                            {"mean_batch_var", QuartilesJson(layer.mean_batch_var)},
                            {"mean_batch_var_theory", JsonNumber(layer.mean_batch_var_theory)},
                            {"sample_noise", QuartilesJson(layer.sample_noise)}});
    }
    if (run.options.gradients) {
      for (NetId id : kNets) {
        const GradientNoise& g = point.gradient[static_cast<std::size_t>(id)];
        row["gradient"][ColumnLabel(config, id)] =
            Json{{"cosine", JsonNumber(g.cosine)}, {"rel_var", JsonNumber(g.rel_var)}};
      }
    }
    rows.push_back(row);
  }
  Json& fitted = json["slopes"];
  for (int l : run.layers) {
    const std::size_t i = static_cast<std::size_t>(l);
    fitted["layers"].push_back(Json{{"layer", l + 1},
                                    {"std_batch_mean", JsonNumber(slopes.std_batch_mean[i])},
                                    {"std_batch_var", JsonNumber(slopes.std_batch_var[i])},
                                    {"sample_noise", JsonNumber(slopes.sample_noise[i])}});
  }
  if (run.options.gradients) {
    fitted["grad_rel_var"] = Json{{ColumnLabel(config, NetId::kLeft), JsonNumber(slopes.grad_rel_var[0])},
                                  {ColumnLabel(config, NetId::kRight), JsonNumber(slopes.grad_rel_var[1])}};
  }
  return JsonText(json, 2);
}

std::string GhostTable(const GhostExperimentOptions& options, const GhostExperimentResult& result) {
  std::string out = Format("Ghost-BN regularization: SGD batch %d, %ld steps, %d training samples, %d seed(s)\n",
                           options.batch_size, options.steps, options.train_subset, options.seeds);
  out += "(accuracy in eval mode with population statistics; mean +- std over seeds, in %)\n\n";
  out += "  net    stats over     train            test             gap (train - test)\n";
  for (const GhostExperimentRow& row : result.rows) {
    const std::string group = row.ghost_group == 0 ? "-" : std::to_string(row.ghost_group);
    out += Format("  %-5s  %10s    %5.1f +- %4.1f    %5.1f +- %4.1f    %5.1f +- %4.1f\n", row.net.c_str(),
                  group.c_str(), 100 * row.train_mean, 100 * row.train_std, 100 * row.test_mean, 100 * row.test_std,
                  100 * row.gap_mean, 100 * row.gap_std);
  }
  return out + "\n" + GhostExperimentVerdict(result) + "\n";
}

std::string GhostCsv(const GhostExperimentResult& result) {
  std::string out = "net,ghost_group,seeds,train_acc_mean,train_acc_std,test_acc_mean,test_acc_std,gap_mean,gap_std\n";
  for (const GhostExperimentRow& row : result.rows) {
    out += row.net + "," + std::to_string(row.ghost_group) + "," + std::to_string(row.train_accuracy.size()) + "," +
           Number(row.train_mean) + "," + Number(row.train_std) + "," + Number(row.test_mean) + "," +
           Number(row.test_std) + "," + Number(row.gap_mean) + "," + Number(row.gap_std) + "\n";
  }
  return out;
}

std::string GhostJson(const TrainConfig& config, const GhostExperimentOptions& options,
                      const GhostExperimentResult& result) {
  Json json;
  json["batch"] = options.batch_size;
  json["steps"] = options.steps;
  json["train_subset"] = options.train_subset;
  json["seeds"] = options.seeds;
  json["first_seed"] = config.seed;
  json["lr"] = config.optimizer.learning_rate;
  Json& rows = json["rows"] = Json::array();
  for (const GhostExperimentRow& row : result.rows) {
    rows.push_back(Json{{"net", row.net},
                        {"ghost_group", row.ghost_group},
                        {"train_acc", row.train_accuracy},
                        {"test_acc", row.test_accuracy},
                        {"train_acc_mean", row.train_mean},
                        {"train_acc_std", row.train_std},
                        {"test_acc_mean", row.test_mean},
                        {"test_acc_std", row.test_std},
                        {"gap_mean", row.gap_mean},
                        {"gap_std", row.gap_std}});
  }
  json["cancelled"] = result.cancelled;
  json["verdict"] = GhostExperimentVerdict(result);
  return JsonText(json, 2);
}

}  // namespace bnlab
