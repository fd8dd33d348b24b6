#include "tools/bench/https_load.h"

#include "absl/strings/str_cat.h"

namespace schakel::tools {

HttpsSlot::HttpsSlot(int port, TlsIdentity identity)
    : port_(port), identity_(std::move(identity)), thread_([this] { Loop(); }) {}

HttpsSlot::~HttpsSlot() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void HttpsSlot::Post(std::string path, std::string body,
                     std::function<void(const absl::Status&)> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back([this, path = std::move(path), body = std::move(body),
                     done = std::move(done)] {
      if (client_ == nullptr) {
        auto c = HttpsClient::Connect(port_, identity_);
        if (!c.ok()) return done(c.status());
        client_ = std::move(c).value();
      }
      auto r = client_->PostJson(path, body);
      if (!r.ok()) {
        client_.reset();  // reconnect at the next request
        return done(r.status());
      }
      if (r->status != 200) {
        return done(absl::UnknownError(absl::StrCat("HTTP ", r->status, ": ", r->body)));
      }
      done(absl::OkStatus());
    });
  }
  cv_.notify_one();
}

void HttpsSlot::Loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (stop_ && jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace schakel::tools
