"""The registry's rules: versions, one production version, promotion refused unless it beats."""

from __future__ import annotations

from dataclasses import replace

import pytest

from modelops.artefacts import ArtefactIntegrityError, artefact_path
from modelops.evaluation import evaluate
from modelops.registry import (
    ARCHIVED,
    CANDIDATE,
    PRODUCTION,
    PromotionRefused,
    RegistryError,
    list_versions,
    load,
    production_version,
    promote,
    register,
)
from pytests.modelops.conftest import AT, Registry, Trained, reference_of, train_synthetic


def _register(registry: Registry, trained: Trained, extra: list | None = None):
    return register(
        registry.con,
        registry.store,
        trained.spec,
        trained.booster,
        [*trained.evaluations, *(extra or [])],
        reference_of(trained),
        AT,
    )


def _challenge(registry: Registry, challenger: Trained) -> list:
    """The production version's evaluation on the challenger's evaluation rows."""
    current, booster = load(registry.con, registry.store, challenger.spec.model_name)
    scores = booster.predict(challenger.features)
    return [
        evaluate(
            "production",
            f"v{current.model_version}",
            challenger.labels,
            scores,
            compared_version=current.model_version,
        )
    ]


def test_first_version_is_a_candidate_then_promoted(registry: Registry) -> None:
    version = _register(registry, train_synthetic(signal=2.0))
    assert (version.model_version, version.stage) == (1, CANDIDATE)
    promote(registry.con, "synthetic_risk", 1, AT)
    assert [v.stage for v in list_versions(registry.con)] == [PRODUCTION]


def test_same_artefact_is_not_registered_twice(registry: Registry) -> None:
    first = _register(registry, train_synthetic(signal=2.0))
    again = _register(registry, train_synthetic(signal=2.0))
    assert again.model_version == first.model_version
    assert len(list_versions(registry.con)) == 1


def test_better_candidate_replaces_production_which_is_archived(registry: Registry) -> None:
    _register(registry, train_synthetic(signal=2.0, rounds=5, leaves=2))
    promote(registry.con, "synthetic_risk", 1, AT)
    strong = train_synthetic(signal=2.0, rounds=40)
    v2 = _register(registry, strong, _challenge(registry, strong))
    assert v2.model_version == 2
    promote(registry.con, "synthetic_risk", 2, AT)
    stages = {v.model_version: v.stage for v in list_versions(registry.con, "synthetic_risk")}
    assert stages == {1: ARCHIVED, 2: PRODUCTION}
    assert production_version(registry.con, "synthetic_risk").model_version == 2


def test_promotion_refused_when_candidate_does_not_beat_production(registry: Registry) -> None:
    _register(registry, train_synthetic(signal=2.0, rounds=60))
    promote(registry.con, "synthetic_risk", 1, AT)
    worse = train_synthetic(signal=2.0, rounds=1)
    _register(registry, worse, _challenge(registry, worse))
    with pytest.raises(PromotionRefused, match=r"does not beat production v1 .*ROC AUC"):
        promote(registry.con, "synthetic_risk", 2, AT)
    stages = {v.model_version: v.stage for v in list_versions(registry.con, "synthetic_risk")}
    assert stages == {1: PRODUCTION, 2: CANDIDATE}


def test_promotion_refused_without_a_comparison_to_the_current_production(registry: Registry) -> None:
    _register(registry, train_synthetic(signal=2.0, rounds=10))
    promote(registry.con, "synthetic_risk", 1, AT)
    _register(registry, train_synthetic(signal=2.0, rounds=40))
    with pytest.raises(PromotionRefused, match="evaluated against no production version"):
        promote(registry.con, "synthetic_risk", 2, AT)


def test_promotion_refused_when_model_does_not_beat_its_baseline(registry: Registry) -> None:
    trained = train_synthetic(signal=2.0)
    # A "baseline" that is the oracle itself: the model cannot beat it.
    rigged = [
        e if e.scorer != "baseline" else replace(e, metrics=trained.evaluations[2].metrics)
        for e in trained.evaluations
    ]
    _register(registry, replace(trained, evaluations=rigged))
    with pytest.raises(PromotionRefused, match="does not beat its baseline"):
        promote(registry.con, "synthetic_risk", 1, AT)
    assert production_version(registry.con, "synthetic_risk") is None


def test_registration_needs_baseline_and_oracle(registry: Registry) -> None:
    trained = train_synthetic(signal=2.0)
    with pytest.raises(RegistryError, match="lack baseline, oracle"):
        register(registry.con, registry.store, trained.spec, trained.booster, trained.evaluations[:1], [], AT)
    assert list_versions(registry.con) == []


def test_tampered_artefact_is_refused(registry: Registry) -> None:
    version = _register(registry, train_synthetic(signal=2.0))
    path = artefact_path(registry.store, version.artefact_sha256)
    text = path.read_text()
    path.write_text(text.replace("leaf_value=", "leaf_value=9", 1))
    with pytest.raises(
        ArtefactIntegrityError, match=r"was modified: the registry recorded sha256 [0-9a-f]{64}"
    ):
        load(registry.con, registry.store, "synthetic_risk", 1)


def test_missing_artefact_is_refused(registry: Registry) -> None:
    version = _register(registry, train_synthetic(signal=2.0))
    artefact_path(registry.store, version.artefact_sha256).unlink()
    with pytest.raises(ArtefactIntegrityError, match="is missing"):
        load(registry.con, registry.store, "synthetic_risk", 1)


def test_loaded_model_scores_like_the_trained_one(registry: Registry) -> None:
    trained = train_synthetic(signal=2.0)
    _register(registry, trained)
    _, booster = load(registry.con, registry.store, "synthetic_risk", 1)
    assert (booster.predict(trained.features) == trained.booster.predict(trained.features)).all()
