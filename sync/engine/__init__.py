"""The till's background sync with the relay: push the outbox, pull payment events, reconcile,
initiate online payments, pair. Runs on APScheduler worker threads, never on the GUI thread."""
