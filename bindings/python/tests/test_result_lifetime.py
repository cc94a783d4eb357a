"""What a result keeps and how it is freed: a Recommendation made from a dict keeps the patient as
compact JSON text for explain() (bind_engine.cpp, compact_text.hpp), and a result Python lets go
of hands its C++ side to a background thread (background_free.hpp), which a forked child and an
exiting interpreter must both survive."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
import time

import pytest

import knead
from conftest import FIBRO_SLEEP


def test_explain_reads_the_dict_back_exactly_as_given(mini: knead.RuleSet) -> None:
    # Rule e.clinic.score fires when 10 / clinic.divisor > 1: a divisor one step below 10 fires
    # it, and read back one bit off (or as 10) it would not; s.clinic.safety likewise, from
    # above. The other values are what the compact text must escape, or keep apart (an integral
    # float is no integer).
    patient = {
        "id": 'q"uote\\slash\nline\x01\x1f\x7f ☕ 𝄞',
        "conditions": ["fibromyalgia"],
        "goals": ["improve_sleep_reduce_anxiety"],
        "clinic": {
            "divisor": 9.999999999999998,
            "safety_divisor": 10.000000000000002,
            'key "with" \\ escapes\t': [2**64 - 1, -(2**63), 5e-324, 1e300, 2.0, -0.0, None, True, False],
            "nested": [[{"deep": {"deeper": []}}], {}],
        },
    }
    expected = mini.recommend(patient, explain=True)
    assert expected.patient == patient["id"]
    assert {"e.clinic.score", "s.clinic.safety"} <= set(expected.fired)
    results = [mini.recommend(patient), *mini.recommend_many([patient] * 300, threads=2)]
    assert all(r.explain() == expected.explain() for r in results)
    assert all(r == results[0] for r in results)


def test_results_are_freed_after_python_lets_go_of_them(mini: knead.RuleSet) -> None:
    def batch() -> None:
        results = mini.recommend_many([FIBRO_SLEEP] * 5000, threads=2)
        assert len(results) == 5000

    batch()
    knead._core._wait_for_frees()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(10):  # 50,000 results in all: kept, the peak would grow by hundreds of MB
        batch()
        knead._core._wait_for_frees()
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 64 * 1024


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_recommends_and_frees_on_threads_of_its_own(mini: knead.RuleSet) -> None:
    # The parent's pool and freeing thread are busy or hold work when it forks; the child has
    # neither thread and must not wait for them.
    results = mini.recommend_many([FIBRO_SLEEP] * 3000, threads=2)
    del results  # queued for the freeing thread, which may be freeing them during the fork
    pid = os.fork()
    if pid == 0:  # the child: report through the exit status only
        ok = False
        try:
            for _ in range(3):
                batch = mini.recommend_many([FIBRO_SLEEP] * 600, threads=2)
                ok = len(batch) == 600 and batch[0].patient == "p-fibro"
                del batch
            knead._core._wait_for_frees()
        finally:
            os._exit(0 if ok else 1)
    deadline_s = 60
    for _ in range(deadline_s * 10):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung")
    assert os.waitstatus_to_exitcode(status) == 0
    assert len(mini.recommend_many([FIBRO_SLEEP] * 600, threads=2)) == 600  # the parent's pool still works


@pytest.mark.parametrize("keep", [False, True])
def test_the_interpreter_exits_cleanly_with_results_to_free(keep: bool) -> None:
    # Results let go of just before exit (queued for the freeing thread), or still alive at exit
    # (freed while the interpreter shuts down): either way a clean exit, nothing printed.
    script = textwrap.dedent(
        f"""
        import knead
        rules = knead.default_rules()
        patient = {{"id": "p", "conditions": ["fibromyalgia"], "pain": {{"intensity": 5}}}}
        results = rules.recommend_many([patient] * 20000, threads=2)
        if not {keep}:
            del results
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
