"""The rule configuration: validation with field-named errors, defaults merged, the version in force."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from regie.signalling.models import RuleSet
from regie.signalling.rules import DEFAULT_RULES, current, defaults, validate


def errors(config: dict) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as err, translation.override("en"):
        validate(config)
    return err.value.message_dict


def test_defaults_are_valid_and_match_detection_md():
    assert validate(defaults()) == DEFAULT_RULES
    assert DEFAULT_RULES["f1"] == {"band_1": "1", "band_2": "2", "band_3": "3"}
    assert DEFAULT_RULES["b1"] == {"window_days": 180, "min_events": 2, "severe_severity": 3}
    assert DEFAULT_RULES["multi_min_domains"] == 2


def test_a_partial_config_is_completed_from_the_defaults():
    merged = validate({"b1": {"min_events": 3}})
    assert merged["b1"] == {"window_days": 180, "min_events": 3, "severe_severity": 3}
    assert merged["f2"] == DEFAULT_RULES["f2"]


def test_bands_out_of_order_are_refused():
    cfg = defaults()
    cfg["f1"] = {"band_1": "2", "band_2": "1", "band_3": "3"}
    assert set(errors(cfg)) == {"f1.band_3"}


@pytest.mark.parametrize("value", ["abc", "0", "-1", "NaN", "Infinity"])
def test_a_band_must_be_a_positive_number(value):
    cfg = defaults()
    cfg["f1"]["band_1"] = value
    assert "f1.band_1" in errors(cfg)


def test_an_unknown_domain_is_refused():
    cfg = defaults()
    cfg["domains"]["MONEY"] = cfg["domains"].pop("FINANCES")
    assert set(errors(cfg)) == {"domains"}


def test_a_code_in_two_domains_is_refused():
    cfg = defaults()
    cfg["domains"]["CARE"].append("ZAAKTYPEDETAILSOORT.GEL")
    assert set(errors(cfg)) == {"domains.CARE"}


def test_unqualified_codes_are_refused():
    cfg = defaults()
    cfg["domains"]["CARE"] = ["PSY"]
    assert set(errors(cfg)) == {"domains.CARE"}


@pytest.mark.parametrize("field", ["f2.severity", "l1.severity", "b1.severe_severity"])
@pytest.mark.parametrize("value", [4, 0, "3", True])
def test_severities_are_1_to_3(field, value):
    cfg = defaults()
    rule, key = field.split(".")
    cfg[rule][key] = value
    assert set(errors(cfg)) == {field}


@pytest.mark.parametrize("rule", ["f2", "f3", "b1", "l1", "l2", "c1", "eviction_bonus"])
def test_windows_are_whole_days_of_at_least_1(rule):
    cfg = defaults()
    cfg[rule]["window_days"] = 0
    assert set(errors(cfg)) == {f"{rule}.window_days"}


def test_other_fields_are_named():
    cfg = defaults()
    cfg["multi_min_domains"] = 5
    cfg["b1"]["min_events"] = 0
    cfg["f2"]["codes"] = []
    cfg["eviction_bonus"]["points"] = -1
    cfg["wgs"]["reminder_min_days"] = -1
    cfg["nonsense"] = 1
    assert set(errors(cfg)) == {
        "multi_min_domains",
        "b1.min_events",
        "f2.codes",
        "eviction_bonus.points",
        "wgs.reminder_min_days",
        "nonsense",
    }


def test_zero_bonus_and_zero_reminder_days_are_allowed():
    cfg = defaults()
    cfg["eviction_bonus"]["points"] = 0
    cfg["wgs"]["reminder_min_days"] = 0
    assert validate(cfg)["eviction_bonus"]["points"] == 0


@pytest.mark.django_db
def test_current_is_the_newest_version_and_the_defaults_when_there_is_none():
    first = current()
    assert (first.version, first.config) == (1, DEFAULT_RULES)
    assert current().pk == first.pk  # made once
    RuleSet.objects.create(version=2, config=validate({"multi_min_domains": 3}))
    assert current().version == 2 and current().config["multi_min_domains"] == 3
