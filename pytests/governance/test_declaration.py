"""The governance declaration itself: its role graph, its environments, and the README generated from it."""

from __future__ import annotations

import re

import yaml

from warehouse.governance import (
    README_BEGIN,
    README_END,
    Declaration,
    RoleGraph,
    explain,
    load_declaration,
    readme_section,
)
from warehouse.runtime import REPO_ROOT

DECLARATION = load_declaration()


def _unmasked_roles(declaration: Declaration, environment: str) -> set[str]:
    return {r for r in declaration.all_roles() if declaration.sees_unmasked_pii(r, environment)}


def test_no_admin_role_can_activate_a_role_that_sees_unmasked_pii() -> None:
    graph = RoleGraph.from_declaration(DECLARATION)
    paths = {
        (role, activator): explain(path)
        for environment in DECLARATION.environments
        for role in _unmasked_roles(DECLARATION, environment)
        for activator, path in graph.activators(role).items()
    }
    assert paths == {}, "roles that may switch to an unmasked-PII role:\n" + "\n".join(paths.values())


def test_only_the_build_role_and_pii_reader_see_unmasked_pii_and_only_in_prod() -> None:
    assert _unmasked_roles(DECLARATION, "prod") == {"TRANSFORMER", "PII_READER"}
    for environment in set(DECLARATION.environments) - {"prod"}:
        assert _unmasked_roles(DECLARATION, environment) == set(), environment


def test_policy_owner_is_reached_only_by_security_admins() -> None:
    graph = RoleGraph.from_declaration(DECLARATION)
    activators = graph.activators("GOVERNANCE_ADMIN")
    assert set(activators) == {"SECURITYADMIN", "ACCOUNTADMIN"}, {
        r: explain(p) for r, p in activators.items()
    }
    assert "TRANSFORMER" not in activators


def test_no_by_region_role_reads_the_marts() -> None:
    protected = {model for spec in DECLARATION.row_access.values() for model in spec["models"]}
    assert {"vw_customers_masked"} <= protected
    for role in DECLARATION.all_roles():
        reads = {
            s for r in DECLARATION.inherited(role) for s, names in DECLARATION.reads.items() if r in names
        }
        if DECLARATION.customer_regions(role) is not None:  # a by-region role
            assert "marts" not in reads, f"{role} reads {reads}: marts hold unfiltered customer rows"


def test_deployable_environments_have_distinct_databases_and_role_prefixes() -> None:
    deployable = {n: e for n, e in DECLARATION.environments.items() if not e.get("offline")}
    assert {"prod", "ci"} <= set(deployable)
    assert len({e["database"] for e in deployable.values()}) == len(deployable)
    assert len({e["role_prefix"] for e in deployable.values()}) == len(deployable)


def test_readme_states_who_sees_what_as_generated_from_the_declaration() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    assert README_BEGIN in readme and README_END in readme
    current = README_BEGIN + readme.split(README_BEGIN, 1)[1].split(README_END, 1)[0] + README_END
    assert current == readme_section(DECLARATION), "run `python -m warehouse.governance readme --write`"


def test_sales_region_roles_see_their_region_only() -> None:
    regions = DECLARATION.regions
    assert len(regions) >= 2
    for region in regions:
        assert DECLARATION.customer_regions(DECLARATION.sales_role(region)) == {region}
    assert DECLARATION.customer_regions("SALES") == set()
    assert DECLARATION.customer_regions("SYSADMIN") == set()


def test_no_role_name_is_hard_coded_outside_the_declaration() -> None:
    """Every role a macro or model names goes through governance_role() (which checks the declaration)."""
    names = "|".join(sorted(DECLARATION.all_roles(), key=len, reverse=True))
    literal = re.compile(rf"['\"]({names})['\"]")
    through_accessor = re.compile(rf"governance_role\(\s*['\"]({names})['\"]\s*\)")
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    del project["vars"]["governance"]
    texts = {"dbt_project.yml (outside vars.governance)": yaml.safe_dump(project)}
    for folder in ("macros", "models", "snapshots", "seeds"):
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.suffix in (".sql", ".yml", ".yaml"):
                texts[str(path.relative_to(REPO_ROOT))] = path.read_text()
    hard_coded = {}
    for where, text in texts.items():
        if found := literal.findall(through_accessor.sub("", text)):
            hard_coded[where] = found
    assert hard_coded == {}
