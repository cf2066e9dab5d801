"""Parity tooling that keeps the DuckDB build and the Snowflake deployment in agreement."""
