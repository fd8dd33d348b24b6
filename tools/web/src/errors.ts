import { Code, ConnectError } from "@connectrpc/connect";

import { t } from "./messages";

// A refusal in the professional's words. The server's own text is shown
// only where it names what to correct (a field and its rule); for every
// other code the professional reads what happened and what to do, never a
// server message or a stack.
export function describeError(e: unknown): string {
  const err = ConnectError.from(e);
  switch (err.code) {
    case Code.Unauthenticated:
      return t.errorUnauthenticated;
    case Code.Unavailable:
      return t.errorUnavailable;
    case Code.NotFound:
      return t.errorNotFound;
    case Code.PermissionDenied:
      return t.errorPermission;
    case Code.InvalidArgument:
      return t.errorInvalid(invalidInDutch(err.rawMessage));
    case Code.Aborted:
      return t.errorChanged;
    case Code.FailedPrecondition:
      return t.errorNotNow;
    case Code.AlreadyExists:
      return t.errorExists;
    case Code.DeadlineExceeded:
    case Code.ResourceExhausted:
      return t.errorBusy;
    default:
      return t.errorOther;
  }
}

// The server names the field and its rule ("place: required", "reason: at
// most 2000 characters"): the field by the label the form shows it under,
// the commonest rules in Dutch, any other rule as the server wrote it.
function invalidInDutch(message: string): string {
  const m = /^([a-z_.]+): (.*)$/.exec(message);
  if (!m) return message;
  const field = t.fieldNames[m[1]] ?? m[1];
  const rule = m[2];
  const most = /^at most (\d+) (characters|bytes)$/.exec(rule);
  const least = /(?:^|\s)at least (\d+) characters$/.exec(rule);
  if (rule === "required") return t.ruleRequired(field);
  if (most) return t.ruleAtMost(field, most[1]);
  if (least) return t.ruleAtLeast(field, least[1]);
  if (rule === "must not be in the future") return t.ruleNotFuture(field);
  return `${field}: ${rule}`;
}
