# Writes the bnlab(1) man page from the commands' own --help, so the page never lags behind
# the flags. Run by the build (CMakeLists.txt): cmake -DBNLAB=... -DOUTPUT=... -DVERSION=... -P.

function(help_of out)
  execute_process(COMMAND ${BNLAB} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "ManPage: '${BNLAB} ${ARGN} --help' exited with ${status}")
  endif()
  # troff: a backslash is written \e, and a line may not start with . or '.
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

help_of(gui_help)
help_of(train_help train)
help_of(noise_help noise)

file(WRITE ${OUTPUT} ".TH BNLAB 1 \"\" \"bnlab ${VERSION}\" \"User Commands\"
.SH NAME
bnlab \\- Batch Normalization, shown: a plain and a batch-normalized network train side by side
.SH SYNOPSIS
.B bnlab
[\\fIoptions\\fR]
.br
.B bnlab train
[\\fIoptions\\fR]
.br
.B bnlab noise
[\\fIoptions\\fR]
.SH DESCRIPTION
.B bnlab
opens a window in which two copies of one small network train from the same weights on the
same mini-batches, the only difference being Batch Normalization, and shows their activations,
losses, accuracies, gradients and the noise of BN's batch statistics live.
.B bnlab train
and
.B bnlab noise
run the same training and measurements without a window and write text, CSV or JSON.
Every training setting is a flag and a key of a scene file; scenes set up one demonstration each.
.SH OPTIONS
.nf
${gui_help}
.fi
.SH \"BNLAB TRAIN\"
.nf
${train_help}
.fi
.SH \"BNLAB NOISE\"
.nf
${noise_help}
.fi
.SH \"EXIT STATUS\"
0 on success (also when a network diverged: that is a result); 2 for bad usage or input, with
one line on standard error naming the flag, key or file, and for an output asked for that
cannot be written (a full disk), with one line naming it; 1 for an internal error. The window
closes on SIGINT, SIGTERM or SIGHUP as on Ctrl+Q (view settings saved, exit 0); a second
signal ends it at once. A recorded run (\\fB--frames\\fR) stopped by a signal exits with
128 + the signal's number. The headless commands end at once on those signals (by the signal),
leaving every output file as it was before the run.
.SH FILES
.TP
.I <prefix>/share/bnlab/scenes/*.toml
the bundled scenes (\\fB--scene NAME\\fR)
.TP
.I $XDG_CONFIG_HOME/bnlab/ui.toml
the window's view settings, saved on exit (\\fI~/.config/bnlab/ui.toml\\fR by default)
")
