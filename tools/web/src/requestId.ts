// The client-chosen request id of a create (docs/design.md, "How a request
// flows"): the same for every retry of one submission, so that a retry
// after a lost answer makes nothing twice; a new one once it succeeded
// (`renew`). Kept in state: React keeps it for the component's life, which
// it does not promise for a memoised value.
import { useCallback, useState } from "react";

const newId = () => `console-${crypto.randomUUID()}`;

export function useRequestId(): [string, () => void] {
  const [id, setId] = useState(newId);
  const renew = useCallback(() => setId(newId()), []);
  return [id, renew];
}
