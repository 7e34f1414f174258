"""The pytest plugin collects user proofs step by step and reports failures as steps."""

import textwrap

import pytest

USER_PROOF = textwrap.dedent(
    """
    import sympy as sp
    from derive import Proof, proof

    @proof
    def square():
        x = sp.Symbol("x")
        p = Proof("square", "Binomial square")
        p.chain((x + 1)**2, (x**2 + 2*x + 1, "expand"), (x**2 + 1, "a classic mistake"))
        return p
    """
)

#: One proven step, one step checked by points (SymPy cannot prove it), one refutation.
POINTS_PROOF = textwrap.dedent(
    """
    import sympy as sp
    from derive import Proof, proof
    from derive.model.activations import ReLU

    @proof
    def points():
        h = sp.Symbol("h", real=True)
        p = Proof("points", "Evidence of points")
        p.claim(sp.tanh(h), 2 / (1 + sp.exp(-2 * h)) - 1, "tanh by exponentials")
        p.claim(ReLU(h) - ReLU(-h), h, "odd part of ReLU", by_points=True)
        p.refute(ReLU(h), h, "ReLU is not the identity")
        return p
    """
)


def test_each_step_is_an_item_and_the_false_step_fails(pytester):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("-p", "no:cacheprovider", "my_proof.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*square::step2: claim does not hold*",
        "*claim:*x^{2} + 2 x + 1 = x^{2} + 1*",
        "*reason:*a classic mistake*",
        "*verdict:*refuted (counterexample; exact rational arithmetic)*",
        "*at:*x = *",
        "*lhs = *, rhs = *(exact rational arithmetic)*",
    ])


def test_item_ids(pytester):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("--collect-only", "-q", "--derive-collect-steps", "my_proof.py")
    result.stdout.fnmatch_lines(["my_proof.py::square::step1", "my_proof.py::square::step2"])


def test_collect_only_lists_each_proof_once_without_building_it(pytester):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("--collect-only", "-q", "my_proof.py")
    result.stdout.fnmatch_lines(["derive: 1 proof module(s) listed without running their builders*",
                                 "my_proof.py::square", "1 test collected*"])
    assert "::step" not in result.stdout.str()


def test_the_builder_id_selects_all_its_steps(pytester):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("-p", "no:cacheprovider", "-v", "my_proof.py::square")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*my_proof.py::square::step1 PASSED*", "*my_proof.py::square::step2 FAILED*"])
    one = pytester.runpytest("-p", "no:cacheprovider", "my_proof.py::square::step1")
    one.assert_outcomes(passed=1)


def test_a_builder_that_returns_no_proof_is_a_collection_error_naming_it(pytester):
    pytester.makepyfile(forgetful_proof=textwrap.dedent(
        """
        from derive import Proof, proof

        @proof
        def forgetful():
            Proof("forgetful", "Builds a proof and forgets to return it")
        """
    ))
    result = pytester.runpytest("-p", "no:cacheprovider", "forgetful_proof.py")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([
        "*ERROR collecting forgetful_proof.py*",
        "*the proof builder forgetful (*forgetful_proof.py:3) returned None, not a derive.Proof*",
        "ERROR forgetful_proof.py::forgetful - *",
    ])


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_timeout_must_be_positive(pytester, value):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("--derive-timeout", value, "my_proof.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--derive-timeout must be a positive number of seconds*"])


def test_steps_checked_by_points_pass_by_default(pytester):
    pytester.makepyfile(points_proof=POINTS_PROOF)
    result = pytester.runpytest("points_proof.py")
    result.assert_outcomes(passed=3)


@pytest.mark.parametrize("flag", ["--derive-proven-only", "--derive-exact-only"])
def test_proven_only_fails_every_step_that_only_agrees(pytester, flag):
    pytester.makepyfile(points_proof=POINTS_PROOF)
    strict = pytester.runpytest(flag, "points_proof.py")
    strict.assert_outcomes(passed=2, failed=1)
    strict.stdout.fnmatch_lines([
        "*points::step2: claim agrees at points but is not proven (proven-only mode)*",
        "*verdict:*agrees at 64 points, not proven*",
        "*why:*no counterexample at 64 points*",
    ])
    assert "points::step1: " not in strict.stdout.str() and "points::step3: " not in strict.stdout.str()


def test_agreeing_step_not_marked_by_points_fails(pytester):
    pytester.makepyfile(unmarked_proof=textwrap.dedent(
        """
        import sympy as sp
        from derive import Proof, proof
        from derive.model.activations import ReLU

        @proof
        def unmarked():
            h = sp.Symbol("h", real=True)
            p = Proof("unmarked", "Claimed proven, only agrees")
            p.claim(ReLU(h) - ReLU(-h), h, "odd part of ReLU")
            return p
        """
    ))
    result = pytester.runpytest("unmarked_proof.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*unmarked::step1: claim agrees at points but is not proven; mark the step "
                                 "by_points=True*"])


def test_steps_true_only_on_the_old_sampler_range_fail(pytester):
    pytester.makepyfile(range_proof=textwrap.dedent(
        """
        import sympy as sp
        from derive import Proof, proof

        @proof
        def ranges():
            x = sp.Symbol("x", real=True)
            M = sp.Symbol("M", integer=True, positive=True)
            j = sp.Symbol("j", integer=True)
            v = sp.IndexedBase("v", real=True)
            p = Proof("ranges", "True only where the old sampler looked")
            p.claim(x**2, 4, "x lies in [-2, 2]", relation="<=", by_points=True)
            p.claim(sp.Sum(v[j], (j, 5, M)), 0, "M is at most 4", by_points=True)
            return p
        """
    ))
    result = pytester.runpytest("range_proof.py")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "*ranges::step1: claim does not hold*", "*verdict:*refuted*", "*at:*x = *",
        "*ranges::step2: claim does not hold*", "*verdict:*refuted*", "*at:*M = *",
    ])


def test_timeout_option_reaches_the_steps(pytester):
    pytester.makepyfile(points_proof=POINTS_PROOF)
    result = pytester.runpytest("--derive-timeout", "0.001", "points_proof.py")
    result.assert_outcomes(passed=2, failed=1)  # no time to prove step1: it only agrees
    result.stdout.fnmatch_lines(["*points::step1: claim agrees at points but is not proven*",
                                 "*why:*symbolic budget expired*"])


def test_plain_modules_are_not_collected(pytester):
    pytester.makepyfile(helper="def f():\n    return 1\n")
    result = pytester.runpytest("--collect-only", "-q", "helper.py")
    assert "helper.py::" not in result.stdout.str()
