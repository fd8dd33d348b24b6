// The layering, checked on the sources: api → app → auth/audit/store →
// domain, one way. A layer that names what lies below its neighbour (an
// adapter naming a store type) fails here, in the test command, rather than
// in a review.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

namespace fs = std::filesystem;

struct Rule {
  const char* layer;      // a folder under server/
  const char* forbidden;  // text no source of the layer may contain
  const char* why;
};

// Each row: what a layer must not name.
constexpr Rule kRules[] = {
    {"api", "store::", "adapters speak the application's and the domain's types"},
    {"api", "server/store/", "adapters include no store header"},
    {"api", "sqlite3", "adapters never touch the database"},
    {"app", "sqlite3", "use cases go through the stores"},
    {"app", "grpcpp", "use cases know no transport"},
    {"auth", "sqlite3", "the access rule renders SQL text; stores run it"},
    {"domain", "server/store/", "the domain is pure"},
    {"domain", "server/auth/", "the domain is pure"},
    {"domain", "server/app/", "the domain is pure"},
    {"domain", "grpcpp", "the domain is pure"},
    {"domain", "sqlite3", "the domain is pure"},
    {"web", "auth::", "the HTTPS port identifies nobody itself: api::Handler does, for both ports"},
    {"web", "store::", "the HTTPS port runs the api adapters, nothing below them"},
    {"web", "app::", "the HTTPS port runs the api adapters, nothing below them"},
    {"web", "sqlite3", "the HTTPS port never touches the database"},
};

std::vector<fs::path> SourcesOf(const std::string& layer) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(SCHAKEL_SOURCE_DIR) / "server" / layer)) {
    const std::string ext = e.path().extension().string();
    if (ext == ".h" || ext == ".cc") out.push_back(e.path());
  }
  return out;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LayeringTest, NoLayerNamesWhatLiesBelowItsNeighbour) {
  for (const Rule& rule : kRules) {
    const std::vector<fs::path> sources = SourcesOf(rule.layer);
    ASSERT_FALSE(sources.empty()) << rule.layer;
    for (const fs::path& p : sources) {
      std::istringstream lines(Read(p));
      std::string line;
      for (int n = 1; std::getline(lines, line); ++n) {
        EXPECT_EQ(line.find(rule.forbidden), std::string::npos)
            << p.filename().string() << ":" << n << " names \"" << rule.forbidden << "\" ("
            << rule.why << "): " << line;
      }
    }
  }
}

TEST(LayeringTest, TheCheckFindsAStoreTypeWhereItLooks) {
  // The rule's own test: the text it searches for is what a store type
  // looks like in a source line.
  const std::string line = "  ASSIGN_OR_RETURN(store::SignalPage page, app_->List());";
  EXPECT_NE(line.find(kRules[0].forbidden), std::string::npos);
  EXPECT_FALSE(SourcesOf("store").empty());
  bool store_names_itself = false;
  for (const fs::path& p : SourcesOf("store")) {
    if (Read(p).find("namespace schakel::store") != std::string::npos) store_names_itself = true;
  }
  EXPECT_TRUE(store_names_itself);
}

}  // namespace
