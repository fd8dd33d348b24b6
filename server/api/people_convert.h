// Proto conversion of the directory's people (domain/people.h), shared by
// DirectoryService.ListPeople and AdminService.SetWorkContact.
#ifndef SCHAKEL_SERVER_API_PEOPLE_CONVERT_H_
#define SCHAKEL_SERVER_API_PEOPLE_CONVERT_H_

#include "schakel/v1/common.pb.h"
#include "server/domain/people.h"

namespace schakel::api {

void ToProto(const domain::Person& in, v1::Person* out);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_PEOPLE_CONVERT_H_
