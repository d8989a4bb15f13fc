// "Export CSV": the histories the GUI plots, written in the format of `bnlab train --csv`.
#pragma once

#include "session/snapshot.h"

#include <string>

namespace bnlab {

// Writes the snapshot's histories to `path` (replacing it) with exactly the columns and
// number formats of `bnlab train --csv` (report/train_csv.h), for the snapshot's hidden layers.
//
// Rows: one per (step, net) for every step at which any of that net's exported histories
// has a point, ascending by step, the plain net's row before the BN net's. A cell is empty
// where its history has no point at that step, so rows where only a probe or a test ran have
// empty train_loss and batch_acc, and a step-0 row (the untrained nets) may come first.
//
// The cells hold the histories' stored points, not every step: a History merges pairs of
// points once it is full, each keeping the newest sample's step and the mean of what it
// merged (engine/history.h). A long run therefore gives rows every 2, 4, ... steps with averaged
// figures, as the plots show them.
//
// lr and batch are those the row's step trained with: the last ChangeMarker made before
// that step (a change made after step s first applies to step s + 1).
// test_acc_batch, test_acc_running, test_acc_population: for the plain net its test_acc (it
// has nothing to normalize, so the three agree, as in train --csv); for the BN net the
// Train vs eval view's figures, present only while that view was open. population_mean_lK
// and population_var_lK: the BN net's, from that view too. running_mean_lK and
// running_var_lK stay empty: the GUI keeps no history of them. The landscape columns: the Loss
// landscape view's figures, present only while that view was open.
//
// A net that diverged has no rows after its divergence step; that step's row carries its
// non-finite train_loss, as train --csv writes it.
//
// Throws OutputError (report/train_csv.h) naming the path when the file cannot be written.
void ExportHistoriesCsv(const Snapshot& snapshot, const std::string& path);

}  // namespace bnlab
