#include "server/common/read_stop.h"

#include <utility>

namespace schakel {
namespace {

thread_local ScopedReadStop::State* current_read_stop = nullptr;

}  // namespace

ScopedReadStop::ScopedReadStop(std::function<absl::Status()> check)
    : state_{std::move(check), absl::OkStatus()}, previous_(current_read_stop) {
  current_read_stop = &state_;
}

ScopedReadStop::~ScopedReadStop() { current_read_stop = previous_; }

ScopedReadStop::State* ScopedReadStop::Current() { return current_read_stop; }

}  // namespace schakel
