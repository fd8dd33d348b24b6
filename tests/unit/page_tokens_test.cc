#include "server/app/page_tokens.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace schakel::app {
namespace {

using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

PageScope Scope(absl::string_view list, absl::string_view caller, std::string filter) {
  return PageScope{list, caller, std::move(filter)};
}

TEST(PageTokensTest, ATokenOpensOnlyWhereItWasMade) {
  auto tokens = PageTokens::Create();
  ASSERT_TRUE(tokens.ok());
  const PageScope scope = Scope("signals", "p-regisseur", FilterText({"open", "FVW-OVERLAST"}));
  auto token = tokens->Seal(scope, "12345");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*tokens->Open(scope, *token), "12345");
  EXPECT_EQ(*tokens->Open(scope, ""), "");

  const auto refused = StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token"));
  EXPECT_THAT(tokens->Open(Scope("signals", "p-other", scope.filter), *token), refused);
  EXPECT_THAT(tokens->Open(Scope("inbox", "p-regisseur", scope.filter), *token), refused);
  EXPECT_THAT(tokens->Open(Scope("signals", "p-regisseur", FilterText({"open", ""})), *token),
              refused);
  // After a restart (another key), altered, garbage, too long.
  auto restarted = PageTokens::Create();
  ASSERT_TRUE(restarted.ok());
  EXPECT_THAT(restarted->Open(scope, *token), refused);
  for (size_t at = 0; at < token->size(); at += 7) {
    std::string altered = *token;
    altered[at] = altered[at] == 'A' ? 'B' : 'A';
    EXPECT_THAT(tokens->Open(scope, altered), refused) << at;
  }
  EXPECT_THAT(tokens->Open(scope, "!!!"), refused);
  EXPECT_THAT(tokens->Open(scope, std::string(2000, 'A')), refused);
}

TEST(PageTokensTest, ATokenRevealsNothingOfItsKey) {
  auto tokens = PageTokens::Create();
  ASSERT_TRUE(tokens.ok());
  const PageScope scope = Scope("signals", "p-regisseur", "");
  auto a = tokens->Seal(scope, "2026-12-08/4711");
  auto b = tokens->Seal(scope, "2026-12-08/4711");
  ASSERT_TRUE(a.ok() && b.ok());
  // A fresh nonce each time: equal keys do not even give equal tokens.
  EXPECT_NE(*a, *b);
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(*a, &raw));
  EXPECT_THAT(raw, Not(HasSubstr("4711")));
  EXPECT_THAT(raw, Not(HasSubstr("2026")));
  EXPECT_THAT(raw, Not(HasSubstr("signals")));
}

TEST(PageTokensTest, NoTwoFiltersWriteOutTheSame) {
  EXPECT_NE(FilterText({"ab", ""}), FilterText({"a", "b"}));
  EXPECT_NE(FilterText({"a;", "b"}), FilterText({"a", ";b"}));
  EXPECT_NE(FilterText({}), FilterText({""}));
}

}  // namespace
}  // namespace schakel::app
