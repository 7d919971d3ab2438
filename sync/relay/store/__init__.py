"""The relay's storage: schema, migrations runner, and the Store operations."""
