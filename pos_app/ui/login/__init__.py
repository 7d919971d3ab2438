"""First-run set-up, sign-in and the idle lock."""
