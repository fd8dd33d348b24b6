// End to end: a consultant caseload with the real CLI.
