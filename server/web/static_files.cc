#include "server/web/static_files.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace schakel::web {
namespace {

constexpr char kNoStore[] = "no-store";
constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kRevalidate[] = "no-cache";

const char* TypeOf(absl::string_view path) {
  struct Entry {
    const char* ext;
    const char* type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},          {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},               {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},  {".map", "application/json"},
  };
  for (const Entry& e : kTypes) {
    if (absl::EndsWith(path, e.ext)) return e.type;
  }
  return "application/octet-stream";
}

// Only plain names: letters, digits, '.', '-', '_' and '/', no "..", no
// empty segment. Anything else (percent escapes included) is not a file
// of the console.
bool SafePath(absl::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  for (char c : path) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' &&
        c != '_' && c != '/') {
      return false;
    }
  }
  return !absl::StrContains(path, "..") && !absl::StrContains(path, "//");
}

bool ReadRegularFile(const std::string& path, std::string* out) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

StaticReply NotFound() {
  return StaticReply{404, "text/plain; charset=utf-8", kNoStore,
                     "Niet gevonden / not found\n", ""};
}

}  // namespace

StaticReply ServeStatic(const std::string& assets_dir, absl::string_view method,
                        absl::string_view target, absl::string_view accept_encoding) {
  if (method != "GET" && method != "HEAD") {
    return StaticReply{405, "text/plain; charset=utf-8", kNoStore,
                       "Alleen GET / only GET\n", "GET, HEAD"};
  }
  absl::string_view path = target.substr(0, target.find('?'));
  if (!SafePath(path) || assets_dir.empty()) return NotFound();
  const bool asset = absl::StartsWith(path, "/assets/");
  const size_t slash = path.rfind('/');
  const bool has_extension = path.find('.', slash) != absl::string_view::npos;
  // The application's own routes ("/", "/signalen/123") all load index.html.
  std::string file = has_extension ? std::string(path) : std::string("/index.html");
  StaticReply reply;
  const bool gzip = absl::StrContains(absl::AsciiStrToLower(accept_encoding), "gzip");
  if (gzip && ReadRegularFile(absl::StrCat(assets_dir, file, ".gz"), &reply.body)) {
    reply.content_encoding = "gzip";
  } else if (!ReadRegularFile(absl::StrCat(assets_dir, file), &reply.body)) {
    if (file == "/index.html") {
      return StaticReply{404, "text/plain; charset=utf-8", kNoStore,
                         "De webconsole is niet geïnstalleerd op deze server.\n", ""};
    }
    return NotFound();
  }
  reply.content_type = TypeOf(file);
  reply.cache_control = file == "/index.html" ? kNoStore : asset ? kImmutable : kRevalidate;
  return reply;
}

}  // namespace schakel::web
