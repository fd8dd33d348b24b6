// The part of a Beast HTTP request that the Connect rules look at
// (connect_protocol.h), taken in one place for the server and the fuzzer.
#ifndef SCHAKEL_SERVER_WEB_REQUEST_HEAD_H_
#define SCHAKEL_SERVER_WEB_REQUEST_HEAD_H_

#include <boost/beast/http.hpp>
#include <string>

#include "server/web/connect_protocol.h"

namespace schakel::web {

template <typename Body>
ApiRequestHead HeadOf(const boost::beast::http::request<Body>& req) {
  namespace http = boost::beast::http;
  ApiRequestHead head;
  head.method = std::string(req.method_string());
  head.target = std::string(req.target());
  head.content_type = std::string(req[http::field::content_type]);
  if (req.find(http::field::origin) != req.end()) head.origin = std::string(req[http::field::origin]);
  if (req.find(http::field::content_encoding) != req.end()) {
    head.content_encoding = std::string(req[http::field::content_encoding]);
  }
  if (req.find("connect-content-encoding") != req.end()) {
    head.connect_content_encoding = std::string(req["connect-content-encoding"]);
  }
  if (req.find("connect-timeout-ms") != req.end()) {
    head.timeout_ms = std::string(req["connect-timeout-ms"]);
  }
  return head;
}

}  // namespace schakel::web

#endif  // SCHAKEL_SERVER_WEB_REQUEST_HEAD_H_
