// The tools' table printer, display width and "did you mean".
#include "tools/common/table.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/common/suggest.h"

namespace schakel::tools {
namespace {

TEST(DisplayWidthTest, CountsColumnsOnScreenNotBytes) {
  EXPECT_EQ(DisplayWidth("Bakker"), 6u);
  EXPECT_EQ(DisplayWidth("Zo\xc3\xab \xc3\x9cnal"), 8u);       // Zoë Ünal
  EXPECT_EQ(DisplayWidth("\xe6\x9d\x8e\xe6\x98\x8e"), 4u);      // 李明: two wide
  EXPECT_EQ(DisplayWidth("\xe1\x88\xb0\xe1\x88\x8b\xe1\x88\x9d"), 3u);  // ሰላም (Ge'ez)
  EXPECT_EQ(DisplayWidth("e\xcc\x88"), 1u);                    // e + combining diaeresis
  EXPECT_EQ(DisplayWidth("\xff"), 1u);                         // not UTF-8: one column
}

TEST(TableTest, ColumnsLineUpByDisplayWidth) {
  Table t{{"NAME", "WIJK"}, {{"Zo\xc3\xab", "prinsenhof"}, {"\xe6\x9d\x8e\xe6\x98\x8e", "x"}}, {}};
  std::ostringstream out;
  PrintTable(out, t, /*headers=*/true);
  EXPECT_EQ(out.str(),
            "NAME  WIJK\n"
            "Zo\xc3\xab   prinsenhof\n"
            "\xe6\x9d\x8e\xe6\x98\x8e  x\n");
  std::ostringstream bare;
  PrintTable(bare, t, /*headers=*/false);
  EXPECT_EQ(bare.str(), "Zo\xc3\xab   prinsenhof\n\xe6\x9d\x8e\xe6\x98\x8e  x\n");
}

TEST(TableTest, CsvQuotesCommasQuotesAndLineBreaks) {
  Table t{{"A", "B"}, {{"Laan 1, 2e", "zei \"ja\""}, {"plain", ""}}, {}};
  std::ostringstream out;
  PrintCsv(out, t, /*headers=*/true);
  EXPECT_EQ(out.str(), "A,B\n\"Laan 1, 2e\",\"zei \"\"ja\"\"\"\nplain,\n");
}

TEST(SuggestTest, NearestValidWord) {
  EXPECT_EQ(EditDistance("acepted", "accepted"), 1);
  EXPECT_EQ(EditDistance("lsit", "list"), 1);  // a swap of neighbours
  EXPECT_EQ(Nearest("acepted", {"proposed", "accepted", "declined"}), "accepted");
  EXPECT_EQ(Nearest("teams", {"month", "team"}), "team");
  EXPECT_EQ(Nearest("x", {"y", "z"}), "");          // too short to guess
  EXPECT_EQ(Nearest("frobnicate", {"list", "show"}), "");
  EXPECT_EQ(DidYouMean("acepted", {"accepted"}), "; did you mean accepted?");
  EXPECT_EQ(DidYouMean("accepted", {"accepted"}), "");
}

}  // namespace
}  // namespace schakel::tools
