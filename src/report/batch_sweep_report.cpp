#include "report/batch_sweep_report.h"

#include "engine/batch_sweep_verdict.h"
#include "report/json.h"
#include "report/text_format.h"

namespace bnlab {
namespace {

std::string Settings(const TrainConfig& config, const BatchSweepResult& result) {
  const BatchSweepOptions& o = result.options;
  return Format(
      "%d training samples of %s, %d epochs (%lld samples at every m), %d seed(s) from %llu; lr %s at "
      "every m, or m x %s/%d capped at %s",
      o.train_subset, config.data.name.c_str(), o.epochs, static_cast<long long>(o.epochs) * o.train_subset, o.seeds,
      static_cast<unsigned long long>(config.seed), ShortestText(result.base_lr).c_str(),
      ShortestText(result.base_lr).c_str(), o.reference_batch, ShortestText(o.lr_cap).c_str());
}

}  // namespace

std::string BatchSweepTable(const TrainConfig& config, const BatchSweepResult& result, double seconds) {
  std::string out = "Batch-size sweep: " + Settings(config, result) + Format(" (%.0f s)\n", seconds);
  out += "(accuracy in eval mode with population statistics; mean +- std over seeds, in %)\n";
  for (LrRule rule : result.options.rules) {
    out += Format("\nlr rule: %s\n", LrRuleName(rule));
    out += "  net       m        lr    steps    train            test             gap (train - test)\n";
    for (NetId id : kNets) {
      for (const BatchSweepRow* row : SweepCurve(result, rule, id)) {
        std::string lr = ShortestText(row->learning_rate);
        if (row->capped) lr += "*";
        out += Format("  %-8s %4d  %8s  %7ld    %5.1f +- %4.1f    %5.1f +- %4.1f    %5.1f +- %4.1f", row->net.c_str(),
                      row->batch_size, lr.c_str(), row->steps, 100 * row->train_mean, 100 * row->train_std,
                      100 * row->test_mean, 100 * row->test_std, 100 * row->gap_mean, 100 * row->gap_std);
        if (row->diverged > 0) out += Format("   diverged in %d seed(s)", row->diverged);
        out += "\n";
      }
    }
  }
  out += "(* the cap)\n\n";
  return out + JudgeBatchSweep(result).text + "\n";
}

std::string BatchSweepCsv(const TrainConfig& config, const BatchSweepResult& result) {
  std::string out =
      "rule,net,batch_size,lr,lr_capped,steps,samples,seed,diverged,train_acc,test_acc,gap,train_acc_mean,"
      "train_acc_std,test_acc_mean,test_acc_std,gap_mean,gap_std\n";
  for (const BatchSweepRow& row : result.rows) {
    for (std::size_t s = 0; s < row.test_accuracy.size(); ++s) {
      out += std::string(LrRuleName(row.rule)) + "," + row.net + "," + std::to_string(row.batch_size) + "," +
             Number(row.learning_rate) + "," + (row.capped ? "1" : "0") + "," + std::to_string(row.steps) + "," +
             std::to_string(row.samples) + "," + std::to_string(config.seed + s) + "," + std::to_string(row.diverged) +
             "," + Number(row.train_accuracy[s]) + "," + Number(row.test_accuracy[s]) + "," +
             Number(row.train_accuracy[s] - row.test_accuracy[s]) + "," + Number(row.train_mean) + "," +
             Number(row.train_std) + "," + Number(row.test_mean) + "," + Number(row.test_std) + "," +
             Number(row.gap_mean) + "," + Number(row.gap_std) + "\n";
    }
  }
  return out;
}

std::string BatchSweepJson(const TrainConfig& config, const BatchSweepResult& result, double seconds) {
  const BatchSweepOptions& o = result.options;
  Json json;
  json["dataset"] = config.data.name;
  json["train_subset"] = o.train_subset;
  json["epochs"] = o.epochs;
  json["samples"] = static_cast<long long>(o.epochs) * o.train_subset;
  json["seeds"] = o.seeds;
  json["first_seed"] = config.seed;
  json["lr"] = result.base_lr;
  json["reference_batch"] = o.reference_batch;
  json["lr_cap"] = o.lr_cap;
  json["batch_sizes"] = o.batch_sizes;
  Json& rules = json["rules"] = Json::array();
  for (LrRule rule : o.rules) rules.push_back(LrRuleName(rule));
  Json& rows = json["rows"] = Json::array();
  for (const BatchSweepRow& row : result.rows) {
    rows.push_back(Json{{"rule", LrRuleName(row.rule)},
                        {"net", row.net},
                        {"batch_size", row.batch_size},
                        {"lr", row.learning_rate},
                        {"lr_capped", row.capped},
                        {"steps", row.steps},
                        {"samples", row.samples},
                        {"diverged", row.diverged},
                        {"train_acc", row.train_accuracy},
                        {"test_acc", row.test_accuracy},
                        {"train_acc_mean", JsonNumber(row.train_mean)},
                        {"train_acc_std", JsonNumber(row.train_std)},
                        {"test_acc_mean", JsonNumber(row.test_mean)},
                        {"test_acc_std", JsonNumber(row.test_std)},
                        {"gap_mean", JsonNumber(row.gap_mean)},
                        {"gap_std", JsonNumber(row.gap_std)}});
  }
  const BatchSweepVerdict verdict = JudgeBatchSweep(result);
  Json& best = json["best"] = Json::array();
  for (const SweepCurveVerdict& curve : verdict.curves) {
    best.push_back(Json{{"rule", LrRuleName(curve.rule)},
                        {"net", VariantLabel(SweepCurve(result, curve.rule, curve.column).front()->variant)},
                        {"best_batch", curve.best_batch},
                        {"tied", curve.tied},
                        {"text", curve.text}});
  }
  json["cancelled"] = result.cancelled;
  json["seconds"] = seconds;
  json["verdict"] = verdict.text;
  json["moderate"] = verdict.moderate_text;
  return JsonText(json, 2);
}

}  // namespace bnlab
