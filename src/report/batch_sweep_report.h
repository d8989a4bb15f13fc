// What `bnlab noise --batch-sweep` prints (engine/batch_sweep.h): the table and verdict on
// stdout, the CSV (--csv) and the JSON (--json).
//
// CSV, one row per (rule, net, batch size, seed), the summary over the seeds repeated on each
// of its seeds' rows:
//   rule,net,batch_size,lr,lr_capped,steps,samples,seed,diverged,train_acc,test_acc,gap,
//   train_acc_mean,train_acc_std,test_acc_mean,test_acc_std,gap_mean,gap_std
#pragma once

#include "engine/batch_sweep.h"
#include "engine/config.h"

#include <string>

namespace bnlab {

std::string BatchSweepTable(const TrainConfig& config, const BatchSweepResult& result, double seconds);
std::string BatchSweepCsv(const TrainConfig& config, const BatchSweepResult& result);
std::string BatchSweepJson(const TrainConfig& config, const BatchSweepResult& result, double seconds);

}  // namespace bnlab
