// bnlab noise: the batch-size noise lab without a window. Trains the twins for --steps (0 =
// the initial weights), then measures, for a grid of batch sizes, the spread of BN's μ_B and
// σ²_B, one sample's x̂ noise and both nets' gradient noise (engine/noise.h). With
// --regularization it runs the ghost-BN experiment instead (engine/ghost_experiment.h), with
// --batch-sweep the batch-size experiment (cli/batch_sweep_command.h).
// A table on stdout, --csv and --json as noise_report.h describes.
#pragma once

namespace bnlab {

// argv[0] is "noise". Returns 0, 2 for bad usage or input (one line "bnlab noise: ..."), 1 for
// an internal error.
int RunNoiseCommand(int argc, char** argv);

}  // namespace bnlab
