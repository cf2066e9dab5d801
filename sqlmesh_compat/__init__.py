"""The logistics dbt project under SQLMesh: its own environment, a plan on the current landing data,
and a parity check of every model against the dbt build (see sqlmesh_compat/README.md).

Modules run in one of two environments: ``environment``, ``landing``, ``exclusions``, ``parity`` and
``__main__`` in the project's; ``runner`` (and ``project/config.py``) in ``.venv-sqlmesh``.
"""
