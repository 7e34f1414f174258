"""The pytest plugin collects user proofs step by step and reports failures as steps."""

import textwrap

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


def test_each_step_is_an_item_and_the_false_step_fails(pytester):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("-p", "no:cacheprovider", "my_proof.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*square::step2: claim does not hold*",
        "*claim:*x^{2} + 2 x + 1 = x^{2} + 1*",
        "*evidence: failed (counterexample in exact rational arithmetic)*",
        "*at:*x = *",
        "*lhs = *, rhs = *",
    ])


def test_item_ids(pytester):
    pytester.makepyfile(my_proof=USER_PROOF)
    result = pytester.runpytest("--collect-only", "-q", "my_proof.py")
    result.stdout.fnmatch_lines(["my_proof.py::square::step1", "my_proof.py::square::step2"])


def test_exact_only_refuses_numeric_evidence(pytester):
    pytester.makepyfile(numeric_proof=textwrap.dedent(
        """
        import sympy as sp
        from derive import Proof, proof

        @proof
        def numeric():
            x = sp.Symbol("x", positive=True)
            p = Proof("numeric", "Only numeric evidence")
            p.claim(sp.tanh(x), 2 / (1 + sp.exp(-2 * x)) - 1, "tanh by exponentials")
            p.claim(sp.sin(x)**2 + sp.cos(x)**2, sp.Integer(1), "Pythagoras")
            return p
        """
    ))
    assert pytester.runpytest("numeric_proof.py").ret == 0
    strict = pytester.runpytest("--derive-exact-only", "--derive-timeout", "0.001", "numeric_proof.py")
    strict.assert_outcomes(failed=2)
    strict.stdout.fnmatch_lines(["*claim could not be verified*", "*exact evidence was required*"])


def test_plain_modules_are_not_collected(pytester):
    pytester.makepyfile(helper="def f():\n    return 1\n")
    result = pytester.runpytest("--collect-only", "-q", "helper.py")
    assert "helper.py::" not in result.stdout.str()
