"""Sort exercises: one share of the points per item, a hint per wrong item, the stub not attempted."""
from utils.exercises import collect, judge

SPEC = {"id": "10.x", "kind": "sort", "target": "labels", "categories": ["S", "U"],
        "answer": {"C1": "S", "C2": "U", "C3": "U"}, "hints": {"C2": "Is a source given?"}}


def test_each_item_earns_its_share_and_a_wrong_item_gets_its_hint():
    verdict = judge(SPEC, collect("sort", {"C1": "s", "C2": "S", "C3": "U"}))
    assert verdict.status == "partly correct" and abs(verdict.score - 2 / 3) < 1e-12
    assert "C2" in verdict.hint and "Is a source given?" in verdict.hint  # item names keep their capitals


def test_the_stub_with_every_item_none_is_not_attempted():
    assert judge(SPEC, collect("sort", {"C1": None, "C2": None, "C3": None})).status == "not attempted"
    assert judge(SPEC, collect("sort", {"C1": "S", "C2": None, "C3": None})).status == "partly correct"
