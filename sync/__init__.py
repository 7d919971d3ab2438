"""Both ends of the wire: the till's sync engine, the hosted relay, provider clients, the sandbox."""
