"""Model operations on the warehouse: training, a model registry, batch and online scoring.

- ``artefacts``: model files stored beside the warehouse under their SHA-256 (LightGBM's text
  format, never pickle); a file whose bytes no longer match its hash is refused.
- ``records`` / ``registry``: the registry's records in the warehouse's ``ml_registry`` landing
  schema (read by the dbt models of ``models/ml/registry``), and the API over them: register,
  promote, list, load.
- ``evaluation`` / ``reference``: metrics against a baseline and an oracle, and per-feature
  reference bins for drift.
- ``training`` / ``scoring`` / ``online`` / ``api``: the two models, batch scores, the online store
  and its HTTP endpoint.
"""
