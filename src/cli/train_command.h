// bnlab train: headless twin training, the same experiment the GUI shows, for slides,
// papers and scripts. Progress on stderr, summary on stdout (text, or JSON with --json),
// every step of both nets in a CSV with --csv (format: train_csv.h).
#pragma once

namespace bnlab {

// argv[0] is the subcommand name ("train"), the options follow. Returns the exit code:
// 0 trained (also when a net diverged: that is a result), 2 bad usage or input (one line
// "bnlab train: ..." on stderr), 1 internal error.
int RunTrainCommand(int argc, char** argv);

}  // namespace bnlab
