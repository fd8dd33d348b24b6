#include "tools/common/args.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace schakel::tools {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Status ParseInto(Args& args, std::vector<std::string> argv) {
  std::vector<char*> ptrs;
  for (auto& a : argv) ptrs.push_back(a.data());
  return args.Parse(static_cast<int>(ptrs.size()), ptrs.data(), 1);
}

TEST(ArgsTest, FlagsAndPositionalsMixAndRepeatedFlagsKeepEveryValue) {
  Args args;
  args.AddString("role", "");
  args.AddString("org", "");
  args.AddBool("json", "");
  ASSERT_THAT(ParseInto(args, {"prog", "user", "--role", "ggz", "add", "--role=partner",
                               "--json", "--org", "woej"}),
              IsOk());
  EXPECT_THAT(args.positional(), ElementsAre("user", "add"));
  EXPECT_THAT(args.GetAll("role"), ElementsAre("ggz", "partner"));
  EXPECT_EQ(args.Get("org"), "woej");
  EXPECT_TRUE(args.Has("json"));
  EXPECT_FALSE(args.Has("help"));
}

TEST(ArgsTest, UnknownFlagsAndMissingValuesAreNamed) {
  Args a;
  a.AddString("org", "");
  a.AddBool("json", "");
  EXPECT_THAT(ParseInto(a, {"prog", "--bogus"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--bogus")));
  Args b;
  b.AddString("org", "");
  EXPECT_THAT(ParseInto(b, {"prog", "--org"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--org needs a value")));
  Args c;
  c.AddBool("json", "");
  EXPECT_THAT(ParseInto(c, {"prog", "--json=yes"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("takes no value")));
  Args d;
  EXPECT_THAT(ParseInto(d, {"prog", "-x"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("-x")));
}

TEST(ArgsTest, DoubleDashEndsFlags) {
  Args args;
  args.AddBool("json", "");
  ASSERT_THAT(ParseInto(args, {"prog", "--", "--json"}), IsOk());
  EXPECT_FALSE(args.Has("json"));
  EXPECT_THAT(args.positional(), ElementsAre("--json"));
}

}  // namespace
}  // namespace schakel::tools
