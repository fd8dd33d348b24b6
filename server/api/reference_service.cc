#include "server/api/reference_service.h"

#include <google/protobuf/descriptor.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "schakel/v1/common.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/signals.pb.h"
#include "schakel/v1/trajectories.pb.h"
#include "server/common/status_macros.h"

namespace schakel::api {
namespace {

using google::protobuf::EnumDescriptor;

// Where the API carries each vocabulary. An enum vocabulary names its
// descriptor; the others say how their terms appear.
struct ApiVocabulary {
  const char* name;
  const EnumDescriptor* (*descriptor)();  // null: not an enum
  const char* api_type;                   // for the ones that are not an enum
};

const ApiVocabulary kApiVocabularies[] = {
    {"lawful_basis", nullptr, "schakel.v1.LawfulBasis.basis"},
    {"handover_outcome", v1::Outcome_descriptor, nullptr},
    {"handover_status", v1::HandoverStatus_descriptor, nullptr},
    {"signal_status", v1::SignalStatus_descriptor, nullptr},
    {"urgency", v1::Urgency_descriptor, nullptr},
    {"note_visibility", v1::NoteVisibility_descriptor, nullptr},
    {"ladder_rung", nullptr, "int32"},
    {"step_type", v1::StepType_descriptor, nullptr},
    {"step_status", v1::StepStatus_descriptor, nullptr},
    {"trajectory_status", v1::TrajectoryStatus_descriptor, nullptr},
    {"sensitivity", nullptr, "string"},
    {"role", v1::Role_descriptor, nullptr},
};

absl::Status FillTerm(const ApiVocabulary& api, const domain::VocabularyTerm& term,
                      v1::VocabularyTerm* out) {
  out->set_code(term.code);
  out->set_label_nl(term.label_nl);
  out->set_label_en(term.label_en);
  if (api.descriptor != nullptr) {
    const EnumDescriptor* d = api.descriptor();
    // Every enum of the API starts with PREFIX_UNSPECIFIED = 0.
    std::string prefix = d->value(0)->name();
    if (!absl::EndsWith(prefix, "UNSPECIFIED")) {
      return absl::InternalError(absl::StrCat(d->full_name(), " has no UNSPECIFIED first"));
    }
    prefix.resize(prefix.size() - std::string("UNSPECIFIED").size());
    const std::string name = absl::StrCat(prefix, absl::AsciiStrToUpper(term.code));
    const google::protobuf::EnumValueDescriptor* v = d->FindValueByName(name);
    if (v == nullptr || v->number() == 0) {
      return absl::InternalError(
          absl::StrCat(api.name, ": ", term.code, " has no value ", name, " in ", d->full_name()));
    }
    out->set_enum_name(v->name());
    out->set_number(v->number());
    return absl::OkStatus();
  }
  if (std::string(api.name) == "lawful_basis") {
    const google::protobuf::FieldDescriptor* f =
        v1::LawfulBasis::descriptor()->FindFieldByName(term.code);
    if (f == nullptr || f->containing_oneof() == nullptr) {
      return absl::InternalError(
          absl::StrCat("lawful_basis: ", term.code, " is no field of LawfulBasis.basis"));
    }
    out->set_number(f->number());
    return absl::OkStatus();
  }
  out->set_number(term.rung);
  return absl::OkStatus();
}

}  // namespace

absl::Status VocabularyToProto(const domain::Vocabulary& in, v1::Vocabulary* out) {
  for (const ApiVocabulary& api : kApiVocabularies) {
    if (in.name != api.name) continue;
    out->set_name(in.name);
    out->set_api_type(api.descriptor != nullptr ? api.descriptor()->full_name() : api.api_type);
    for (const domain::VocabularyTerm& t : in.terms) {
      RETURN_IF_ERROR(FillTerm(api, t, out->add_terms()));
    }
    return absl::OkStatus();
  }
  return absl::InternalError(absl::StrCat("vocabulary ", in.name, " has no API counterpart"));
}

grpc::Status ReferenceService::ListCategories(grpc::ServerContext* context,
                                              const v1::ListCategoriesRequest* request,
                                              v1::ListCategoriesResponse* response) {
  return handler_->Handle(context, "ReferenceService.ListCategories", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::SignalCategory> categories,
                     app_->ListCategories(caller, request->opgave(), trail));
    for (const domain::SignalCategory& c : categories) {
      v1::SignalCategory* out = response->add_categories();
      out->set_code(c.code);
      out->set_label_nl(c.label_nl);
      out->set_label_en(c.label_en);
      out->set_opgave(c.opgave);
      out->set_sensitivity(std::string(domain::SensitivityName(c.sensitivity)));
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferenceService::ListWijken(grpc::ServerContext* context,
                                          const v1::ListWijkenRequest* request,
                                          v1::ListWijkenResponse* response) {
  return handler_->Handle(context, "ReferenceService.ListWijken", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::Wijk> wijken, app_->ListWijken(caller, trail));
    for (const domain::Wijk& w : wijken) {
      v1::Wijk* out = response->add_wijken();
      out->set_code(w.code);
      out->set_name(w.name);
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferenceService::ListOpgaven(grpc::ServerContext* context,
                                           const v1::ListOpgavenRequest* request,
                                           v1::ListOpgavenResponse* response) {
  return handler_->Handle(context, "ReferenceService.ListOpgaven", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::OpgaveWithDoelen> opgaven,
                     app_->ListOpgaven(caller, trail));
    for (const domain::OpgaveWithDoelen& o : opgaven) {
      v1::Opgave* out = response->add_opgaven();
      out->set_code(o.opgave.code);
      out->set_label_nl(o.opgave.label_nl);
      out->set_label_en(o.opgave.label_en);
      for (const domain::Doel& d : o.doelen) {
        v1::Doel* doel = out->add_doelen();
        doel->set_number(d.number);
        doel->set_label_nl(d.label_nl);
        doel->set_label_en(d.label_en);
      }
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferenceService::ListVocabularies(grpc::ServerContext* context,
                                                const v1::ListVocabulariesRequest* request,
                                                v1::ListVocabulariesResponse* response) {
  return handler_->Handle(context, "ReferenceService.ListVocabularies", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::Vocabulary> vocabularies,
                     app_->ListVocabularies(caller, request->name(), trail));
    for (const domain::Vocabulary& v : vocabularies) {
      RETURN_IF_ERROR(VocabularyToProto(v, response->add_vocabularies()));
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferenceService::ListPurposes(grpc::ServerContext* context,
                                            const v1::ListPurposesRequest* request,
                                            v1::ListPurposesResponse* response) {
  return handler_->Handle(context, "ReferenceService.ListPurposes", *request,
                          [&](const auth::Principal&, audit::Trail&) -> absl::Status {
    const domain::PurposePolicy& policy = handler_->purposes();
    for (const domain::PurposeCode& p : policy.codes) {
      v1::Purpose* out = response->add_purposes();
      out->set_code(p.code);
      out->set_label_nl(p.label_nl);
    }
    response->set_default_code(policy.default_code);
    response->set_allow_other(policy.allow_other);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
