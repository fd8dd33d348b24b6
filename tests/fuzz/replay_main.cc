// fuzz_corpus_replay: runs fuzz_requests' entry point once on every file
// of the given directories (the ordinary build's regression test of the
// corpus), or writes the seed corpus.
//
//   fuzz_corpus_replay DIR...
//   fuzz_corpus_replay --write-seeds DIR
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/residents.pb.h"
#include "schakel/v1/signals.pb.h"
#include "schakel/v1/trajectories.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace schakel::fuzz {
int RpcCount();
const char* RpcName(int i);
}  // namespace schakel::fuzz

namespace {

namespace v1 = schakel::v1;

// Demo users in init's order (server/deployment/init.cc DemoUsers()).
constexpr int kRegisseur = 0, kConsultant = 1, kAdmin = 2, kAuditor = 3, kPartner = 6;

int RpcIndex(const std::string& name) {
  for (int i = 0; i < schakel::fuzz::RpcCount(); ++i) {
    if (name == schakel::fuzz::RpcName(i)) return i;
  }
  std::fprintf(stderr, "no rpc %s\n", name.c_str());
  std::exit(2);
}

void Write(const std::string& dir, const std::string& name, int caller, int rpc,
           const std::string& body) {
  std::string bytes;
  bytes.push_back(static_cast<char>(caller));
  bytes.push_back(static_cast<char>(rpc));
  bytes += body;
  std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
}

void WriteSeeds(const std::string& dir) {
  std::filesystem::create_directories(dir);
  // Every RPC with an empty request, for a caller of each kind.
  for (int rpc = 0; rpc < schakel::fuzz::RpcCount(); ++rpc) {
    for (int caller : {kRegisseur, kConsultant, kAdmin, kAuditor, kPartner}) {
      Write(dir, absl::StrCat("empty-", schakel::fuzz::RpcName(rpc), "-", caller), caller, rpc,
            "");
    }
  }
  v1::RegisterResidentRequest resident;
  resident.set_request_id("seed-res-1");
  resident.set_name("Jan Jansen");
  resident.set_birth_date("1985-03-02");
  resident.set_address("Prinsenhoflaan 1");
  resident.set_wijk("prinsenhof");
  Write(dir, "register-resident", kRegisseur, RpcIndex("ResidentService.RegisterResident"),
        resident.SerializeAsString());
  v1::CreateSignalRequest signal;
  signal.set_request_id("seed-sig-1");
  signal.set_category("FZ-SCHULDEN");
  signal.set_wijk("prinsenhof");
  signal.set_place("Schoolplein");
  signal.set_description("Beschrijving\nmet twee regels");
  signal.set_urgency(v1::URGENCY_NORMAL);
  Write(dir, "create-signal", kPartner, RpcIndex("SignalService.CreateSignal"),
        signal.SerializeAsString());
  v1::ListSignalsRequest list;
  list.set_page_size(10);
  list.set_wijk("prinsenhof");
  Write(dir, "list-signals", kRegisseur, RpcIndex("SignalService.ListSignals"),
        list.SerializeAsString());
  v1::ProposeHandoverRequest handover;
  handover.set_request_id("seed-ho-1");
  handover.set_resident_id("res-n1");
  handover.set_to_organisation_id("woej");
  handover.set_reason("Ouder zoekt hulp bij formulieren");
  handover.mutable_basis()->mutable_consent()->set_covers("doorverwijzing");
  Write(dir, "propose-handover", kRegisseur, RpcIndex("HandoverService.ProposeHandover"),
        handover.SerializeAsString());
  v1::QueryAuditRequest query;
  query.set_page_size(5);
  query.set_outcome("denied");
  Write(dir, "query-audit", kAuditor, RpcIndex("AuditService.QueryAudit"),
        query.SerializeAsString());
  v1::VerifyAuditRequest verify;
  verify.set_expect_seq(1);
  verify.set_expect_hash(std::string(64, 'a'));
  Write(dir, "verify-audit", kAuditor, RpcIndex("AuditService.VerifyAudit"),
        verify.SerializeAsString());
  v1::StartTrajectoryRequest trajectory;
  trajectory.set_request_id("seed-tr-1");
  trajectory.set_resident_id("res-n1");
  Write(dir, "start-trajectory", kConsultant, RpcIndex("TrajectoryService.StartTrajectory"),
        trajectory.SerializeAsString());
  v1::ListResidentTrajectoriesRequest of_resident;
  of_resident.set_resident_id("res-n1");
  of_resident.set_include_closed(true);
  Write(dir, "list-resident-trajectories", kPartner,
        RpcIndex("TrajectoryService.ListResidentTrajectories"), of_resident.SerializeAsString());
  v1::ListHandoversRequest inbox;
  inbox.set_resident_id("res-n1");
  Write(dir, "list-inbox-of-resident", kPartner, RpcIndex("HandoverService.ListInbox"),
        inbox.SerializeAsString());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-seeds") {
    WriteSeeds(argv[2]);
    return 0;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_corpus_replay DIR... | --write-seeds DIR\n");
    return 2;
  }
  int runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(argv[i])) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++runs;
    }
  }
  std::printf("replayed %d inputs without a crash\n", runs);
  return runs > 0 ? 0 : 1;
}
