"""DuckDB-vs-Snowflake parity tooling: the Snowflake hazard lint for DuckDB-dialect SQL."""
