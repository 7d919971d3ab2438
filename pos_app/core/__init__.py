"""The till's domain core: pure Python, no Qt, no I/O, nothing else of the project imported."""
