// The web console's files on the HTTPS port: GET (and HEAD) only, from one
// directory, never outside it. `index.html` (and every route of the
// single-page application, a path without a file extension) is answered
// with `no-store`, so a new release is seen at the next load; files under
// /assets/ carry a content hash in their name and are cached as immutable.
// API paths never reach this (https_server.cc answers them first).
#ifndef SCHAKEL_SERVER_WEB_STATIC_FILES_H_
#define SCHAKEL_SERVER_WEB_STATIC_FILES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace schakel::web {

struct StaticReply {
  int http_status = 200;
  std::string content_type;
  std::string cache_control;
  std::string body;
  std::string allow;  // set on 405
  // "gzip" when the body is the file's precompressed copy (FILE.gz beside
  // it, made by the console's build).
  std::string content_encoding;
};

// `assets_dir` empty or missing: every path is 404. `accept_encoding` is
// the request's Accept-Encoding: with gzip in it, FILE.gz is served when
// the build made one.
StaticReply ServeStatic(const std::string& assets_dir, absl::string_view method,
                        absl::string_view target, absl::string_view accept_encoding = "");

}  // namespace schakel::web

#endif  // SCHAKEL_SERVER_WEB_STATIC_FILES_H_
