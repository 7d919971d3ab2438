from sync.relay.cli import main

raise SystemExit(main())
