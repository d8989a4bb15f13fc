// "Copy command": the headless command that runs what the GUI shows.
#pragma once

#include "engine/config.h"

#include <string>
#include <utility>
#include <vector>

namespace bnlab {

// `bnlab train` with one flag per setting whose value differs from the default TrainConfig,
// in settings-table order, in the flag syntax ApplyFlag reads: "bnlab train --lr 5 --batch 4".
// A value that a POSIX shell would split or expand is single-quoted (a ' in it written as
// '\''), and one that starts with '-' is attached as --name=value, so pasted into a shell
// the line gives `bnlab train` exactly these values. Settings whose value is the default
// are left out: the line is as short as it can be, and means the same as long as the
// defaults do. ApplyFlag trims spaces and tabs around a value, so a path that begins or
// ends with one cannot be given as a flag (a scene file can hold it).
std::string CommandLine(const TrainConfig& config);

// The settings whose value in `to` differs from theirs in `from`, in settings-table order, each
// as its name and its value in the flag syntax: what CommandLine writes, and the page's link.
std::vector<std::pair<std::string, std::string>> ChangedSettings(const TrainConfig& from, const TrainConfig& to);

// The page's URL query for these name-value pairs ("Copy link"): "?lr=5&batch=4", each part
// percent-encoded. The page reads it back as the flags --lr 5 --batch 4.
std::string UrlQuery(const std::vector<std::pair<std::string, std::string>>& pairs);

// `text` as one word of a POSIX shell command: as it is when it holds only characters no
// shell treats specially, otherwise in single quotes.
std::string ShellQuote(const std::string& text);

}  // namespace bnlab
