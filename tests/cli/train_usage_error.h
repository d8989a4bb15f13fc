// The usage error of `bnlab train` the tests expect: exit 2, nothing on stdout, exactly one line
// on stderr, starting "bnlab train: " and mentioning `needle`.
#pragma once

#include "../common/subprocess.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

inline void ExpectUsageError(const std::vector<std::string>& args, const std::string& needle) {
  const bnlab::testing_subprocess::Result result = bnlab::testing_subprocess::RunBnlab(args);
  EXPECT_EQ(result.out, "");
  bnlab::testing_subprocess::ExpectOneLineError(result, "bnlab train: ", needle);
}
