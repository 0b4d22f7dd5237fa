"""Lifecycle presets and custom stage lists, as MISSION.md defines them."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import InvalidInput, Store
from store.lifecycle import CHURNED, PRESETS, Phase, load_custom_model, preset
from store.models import Account


def test_each_preset_has_its_stages_in_order_then_churned() -> None:
    assert [s.key for s in preset("classic").main_path] == [
        "awareness", "consideration", "purchase", "activation", "adoption", "retention",
        "expansion",
    ]
    assert len(preset("nine").main_path) == 9
    assert [s.key for s in preset("six").main_path][0] == "acquisition"
    assert [s.key for s in preset("loyalty").main_path][-1] == "loyalty"
    for model in PRESETS.values():
        assert model.stages[-1].key == CHURNED and model.stages[-1].terminal
        assert {stage.phase for stage in model.stages} == set(Phase)


def test_an_unknown_preset_lists_the_choices() -> None:
    with pytest.raises(InvalidInput, match="classic, nine, six, loyalty"):
        preset("funnel")


def test_customers_start_at_the_purchase_point() -> None:
    classic = preset("classic")
    assert not classic.is_customer_stage("consideration")
    assert classic.is_customer_stage("purchase") and classic.is_customer_stage("expansion")
    assert not classic.is_customer_stage(CHURNED)


def test_a_custom_stage_list_is_read_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "stages.toml"
    path.write_text(
        'name = "ours"\ncustomer_from = "signed"\n'
        '[[stage]]\nkey = "lead"\nphase = "acquisition"\n'
        '[[stage]]\nkey = "signed"\nlabel = "Signed"\nphase = "engagement"\n'
        '[[stage]]\nkey = "renewing"\nphase = "retention"\n'
    )
    model = load_custom_model(path)
    assert model.keys == ("lead", "signed", "renewing", CHURNED)
    assert model.stage("lead").label == "Lead"


def test_a_custom_stage_list_with_a_bad_phase_names_the_stage(tmp_path: Path) -> None:
    path = tmp_path / "stages.toml"
    path.write_text('[[stage]]\nkey = "a"\nphase = "acquisition"\n'
                    '[[stage]]\nkey = "b"\nphase = "party"\n')
    with pytest.raises(InvalidInput, match=r"stage 2: field 'phase'"):
        load_custom_model(path)


def test_a_book_remembers_its_preset(book_path: Path) -> None:
    with Store.open(book_path) as store:
        store.set_lifecycle(preset("six"))
    with Store.open(book_path) as store:
        assert store.lifecycle().name == "six"
        assert store.lifecycle().customer_from == "onboarding"


def test_switching_presets_is_refused_while_accounts_sit_in_a_vanishing_stage(
    store: Store,
) -> None:
    store.add_account(Account(id="a1", name="Acme", stage="consideration"))
    with pytest.raises(InvalidInput, match="accounts are still in consideration"):
        store.set_lifecycle(preset("six"))
    assert store.lifecycle().name == "classic"
