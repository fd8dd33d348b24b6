// Names as people write them (domain/name_key.h): one key for the
// spellings a professional calls the same name, in find and in the
// duplicate check of registration.
#include "server/domain/name_key.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace schakel::domain {
namespace {

struct Same {
  const char* a;
  const char* b;
};

TEST(NameKeyTest, SpellingsOfOneNameShareTheirKey) {
  const Same same[] = {
      {"Zoë", "Zoe"},
      {"Zoë", "ZOË"},
      {"ZOË", "zoe"},
      {"Zoë Bakker-Ünal", "zoe bakker-unal"},
      {"Ünal", "Unal"},
      {"Özdemir", "Ozdemir"},
      {"El Amrani", "el amrani"},
      {"El  Amrani ", " el amrani"},      // runs of white space, trimmed
      {"Yağmur Doğan", "Yagmur Dogan"},   // ğ
      {"ĞÜLŞEN", "gulsen"},               // Ğ, Ş
      {"Straße", "strasse"},              // ß
      {"STRASSE", "straße"},
      {"Işık", "Isik"},                   // dotless ı
      {"İlkay", "ilkay"},                 // dotted İ
      {"Çelik", "celik"},
      {"Sørensen", "Sorensen"},           // ø: no decomposition, Latin-ASCII
      {"Łukasz", "Lukasz"},
      {"Nguyễn Thị", "nguyen thi"},       // stacked diacritics
      {"O’Brien", "O'Brien"},             // typographic apostrophe
      {"ﬁnn", "Finn"},                    // compatibility ligature
      {"Ｍａｒｉａ", "maria"},              // full-width letters
      {"Αλέξανδρος", "αλεξανδροσ"},       // Greek: case and tonos; final sigma folds
      {"Фёдор", "федор"},                 // Cyrillic ё
      {"مُحَمَّد", "محمد"},                 // Arabic harakat
  };
  for (const Same& s : same) {
    EXPECT_EQ(NameKey(s.a), NameKey(s.b)) << s.a << " / " << s.b;
  }
}

TEST(NameKeyTest, DifferentNamesKeepDifferentKeys) {
  const Same different[] = {
      {"Ünal", "Unel"},
      {"El Amrani", "Elamrani"},  // a space is part of a name
      {"Bakker-Ünal", "Bakker Ünal"},
      {"Jansen", "Janssen"},
      {"محمد", "mohamed"},  // scripts are not transliterated into each other
      {"ዮሐንስ", "ዮሐንሰ"},    // Ge'ez letters stay letters
  };
  for (const Same& s : different) {
    EXPECT_NE(NameKey(s.a), NameKey(s.b)) << s.a << " / " << s.b;
  }
  EXPECT_EQ(NameKey("Zoë Bakker-Ünal"), "zoe bakker-unal");
  EXPECT_EQ(NameKey("  "), "");
  // Invalid UTF-8 never throws or passes through as raw bytes.
  EXPECT_EQ(NameKey(std::string("a\xff" "b")), NameKey(std::string("a\xfe" "b")));
}

TEST(NameKeyTest, ASearchMatchesTheBeginningsOfTheNamesWords) {
  struct Row {
    const char* name;
    const char* query;
    bool match;
  };
  const Row rows[] = {
      {"Zoë Bakker-Ünal", "zoe", true},
      {"Zoë Bakker-Ünal", "bakker", true},
      {"Zoë Bakker-Ünal", "unal", true},        // a word after a hyphen
      {"Zoë Bakker-Ünal", "ZOE BAK", true},
      {"Zoë Bakker-Ünal", "bak zo", true},      // any order
      {"Zoë Bakker-Ünal", "akker", false},      // not the beginning of a word
      {"Zoë Bakker-Ünal", "zoe zoe", false},    // each name word once
      {"Zoë Bakker-Ünal", "zoe visser", false},
      {"Mohamed el Amrani", "el amr", true},
      {"Mohamed el Amrani", "", false},         // an empty search matches nothing
  };
  for (const Row& r : rows) {
    EXPECT_EQ(NameMatches(NameKey(r.name), NameKey(r.query)), r.match)
        << r.name << " / " << r.query;
  }
  EXPECT_EQ(NameWords("zoe bakker-unal"), (std::vector<std::string>{"zoe", "bakker", "unal"}));
}

}  // namespace
}  // namespace schakel::domain
