"""Rules: plain functions on a session; they stage changes, raise domain errors, never commit."""
