"""The owner's console, served by the relay under /console."""
