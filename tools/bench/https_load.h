// schakel-bench's HTTPS side: requests over schakeld's HTTPS port (the
// Connect protocol with JSON, as the web console sends them), one
// kept-alive connection and one thread per request in flight (the client is
// synchronous; the threads wait, they do not spin).
#ifndef SCHAKEL_TOOLS_BENCH_HTTPS_LOAD_H_
#define SCHAKEL_TOOLS_BENCH_HTTPS_LOAD_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "tools/common/https_client.h"

namespace schakel::tools {

// One slot's connection and thread: Post() queues a request body to run on
// it; `done` runs on that thread with the outcome.
class HttpsSlot {
 public:
  HttpsSlot(int port, TlsIdentity identity);
  ~HttpsSlot();
  HttpsSlot(const HttpsSlot&) = delete;
  HttpsSlot& operator=(const HttpsSlot&) = delete;

  // POST `path` with the JSON `body`; `done` gets OK for 200, else the
  // Connect error's body.
  void Post(std::string path, std::string body, std::function<void(const absl::Status&)> done);

 private:
  void Loop();
  const int port_;
  const TlsIdentity identity_;
  std::unique_ptr<HttpsClient> client_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_BENCH_HTTPS_LOAD_H_
