"""Orchestration of the warehouse for people: the demo summary and the sync-then-build loop."""
