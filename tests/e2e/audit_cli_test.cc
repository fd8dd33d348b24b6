// End to end: the auditor with the real CLI.
