"""Both ends of the wire: the till's sync engine, the relay, provider clients, the sandbox."""
