"""Fake-data generator: a deterministic logistics simulation that lands Fivetran-shaped tables."""
