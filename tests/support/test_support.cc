#include "tests/support/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace schakel::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "schakel-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFileFromAnotherProcess(const std::string& path) {
  int out[2];
  if (::pipe(out) != 0) {
    ADD_FAILURE() << "pipe";
    return "";
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execl("/bin/cat", "cat", "--", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string data;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof(buf))) > 0) data.append(buf, static_cast<size_t>(n));
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ADD_FAILURE() << "cannot read " << path;
  return data;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void WriteFileOrDie(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

Identity LoadIdentity(const std::string& dir) {
  return Identity{ReadFileOrDie(dir + "/cert.pem"), ReadFileOrDie(dir + "/key.pem"),
                  ReadFileOrDie(dir + "/ca.pem")};
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address, const Identity& identity) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = identity.ca_pem;
  ssl.pem_cert_chain = identity.cert_pem;
  ssl.pem_private_key = identity.key_pem;
  grpc::ChannelArguments args;
  // Each test channel gets its own connection, never a shared subchannel.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
}

}  // namespace schakel::testing
