"""The classroom load test (tests/benchmarks/bench_classroom.py): its pieces, and a tiny run of the whole.

The full run measures how many students one machine serves (minutes; its table is
tests/benchmarks/classroom/results.md and the README's sizing comes from it). Here:
the protocol client reads the kernel's binary frames as jupyter_server writes them
and steps controls as a key press does; and a tiny class (one student in Chromium,
one through the protocol) runs end to end on a real hub, writes its table, and the
idle culler gives the memory back once everyone has left.
"""
import json
import random
import sys

import pytest

from conftest import ROOT, require_programs

sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

import bench_classroom  # noqa: E402


def test_binary_frames_are_read_as_jupyter_server_writes_them():
    from jupyter_server.services.kernels.connection.base import serialize_binary_message

    message = {"header": {"msg_id": "1", "msg_type": "comm_msg"}, "parent_header": {}, "metadata": {},
               "content": {"comm_id": "abc", "data": {"method": "update", "state": {}, "buffer_paths": [["value"]]}},
               "channel": "iopub", "buffers": [b"\x89PNG first", b"second buffer"]}
    decoded = bench_classroom.decode_message(serialize_binary_message(dict(message)))
    assert decoded["content"] == message["content"]
    assert decoded["buffers"] == [b"\x89PNG first", b"second buffer"]
    assert bench_classroom.decode_message(json.dumps({"header": {"msg_type": "status"}}))["header"] == {
        "msg_type": "status"}


def test_a_key_press_steps_a_slider_and_turns_at_its_ends():
    slider = {"_model_name": "FloatSliderModel", "value": 0.9, "min": 0.0, "max": 1.0, "step": 0.1}
    change, direction = bench_classroom.next_setting(slider, 1)
    assert change == {"value": 1.0} and direction == 1
    slider["value"] = 1.0
    change, direction = bench_classroom.next_setting(slider, 1)
    assert change == {"value": 0.9} and direction == -1
    integer = {"_model_name": "IntSliderModel", "value": 10, "min": 10, "max": 800, "step": 10}
    assert bench_classroom.next_setting(integer, -1) == ({"value": 20}, 1)
    listed = {"_model_name": "DropdownModel", "index": 2, "_options_labels": ["a", "b", "c"]}
    assert bench_classroom.next_setting(listed, 1)[0] == {"index": 0}
    several = {"_model_name": "SelectMultipleModel", "index": [0], "_options_labels": ["a", "b", "c"]}
    for seed in range(20):  # one option toggled, never none left
        chosen = bench_classroom.next_setting(several, 1, random.Random(seed))[0]["index"]
        assert chosen and chosen != [0], chosen
    with pytest.raises(ValueError, match="not a control: ImageModel"):
        bench_classroom.next_setting({"_model_name": "ImageModel"}, 1)


@pytest.mark.slow
def test_a_tiny_class_runs_and_the_culler_returns_its_memory(tmp_path):
    require_programs("chromium", "configurable-http-proxy", "libnss_wrapper.so", needed_for="the classroom load test")
    pytest.importorskip("jupyterhub_idle_culler", reason="jupyterhub-idle-culler (tests/requirements.txt) missing")
    out = tmp_path / "out"
    assert bench_classroom.main(["--steps", "2", "--browser-users", "1", "--seconds", "8", "--settle", "2",
                                 "--cull-kernel", "10", "--cull-server", "20", "--activity-every", "5",
                                 "--output", str(out)]) == 0, "processes were left running, or nothing measured"
    results = json.loads((out / "results.json").read_text())
    (row,) = results["rows"]
    assert row["students"] == 2 and row["kernels"] == 2
    assert row["browser"]["moves"] >= 2 and row["browser"]["median"] > 0, row["browser"]
    assert row["protocol"]["moves"] >= 2 and row["protocol"]["median"] > 0, row["protocol"]
    assert not row["errors"], row["errors"]
    assert 50 < row["kernel_uss_mean"] < 2000 and row["server_uss_mean"] > 20
    culling = results["culling"]
    assert culling["servers_before"] == 2 and culling["servers_after"] == 0
    assert culling["culler_stopped_servers"] == 2, "the servers must be stopped by jupyterhub-idle-culler"
    assert culling["kernels_after"] == 0
    # what the class held comes back: only the hub and its proxy remain
    assert culling["class_uss_after"] < culling["class_uss_before"] - row["kernel_uss_mean"] - row["server_uss_mean"]
    table = (out / "results.md").read_text()
    assert "| 2 |" in table and "load (1, 5, 15 min)" in table and "## Culling" in table
