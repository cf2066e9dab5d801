"""A data diff of a code change on the same generated data: ``just diff [BASE]``.

Tools that diff dbt builds (Recce, data-diff, SQLMesh's ``table_diff``) compare a dev build with
production, where the inputs differ too. Here both sides are built from **one** generated landing
(the working tree's generator, one seed and scale), so every difference in the output is caused by
the code change alone:

- :mod:`~warehouse.datadiff.builds` lands the data once (cached by seed, scale and the generator's
  source), builds BASE (cached by commit) and builds the working tree *slim*: a copy of the base
  warehouse plus ``state:modified+`` rebuilt with ``--full-refresh`` — a one-model change builds in
  seconds; ``--full`` builds the head from the landing instead;
- :mod:`~warehouse.datadiff.values` compares the two manifests and warehouses: added, removed and
  changed models, schema changes, row counts, content hashes first (cheap), and for models whose
  hash differs a value diff keyed by the model's unique key;
- :mod:`~warehouse.datadiff.report` writes the Markdown summary (a pull-request comment) and a
  self-contained HTML page.
"""
