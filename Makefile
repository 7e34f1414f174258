# make solutions: build output/solutions.tex and output/solutions.pdf
# make test:      ruff, mypy and the whole pytest suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: solutions test tex bench fuzz lint clean

$(STAMP): setup.cfg pyproject.toml
	@PYTHON=$(PYTHON) bash scripts/ensure-venv.sh $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

tex:
	@bash scripts/ensure-tex.sh

solutions: $(STAMP) tex
	@if command -v pdflatex >/dev/null 2>&1 && command -v latexmk >/dev/null 2>&1; then \
		$(VENV)/bin/derive build --out output; \
	else \
		echo "TeX is missing: writing output/solutions.tex only"; \
		$(VENV)/bin/derive build --out output --no-pdf; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check derive proofs tests bench
	$(VENV)/bin/mypy derive

test: $(STAMP) tex lint
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m bench

fuzz: $(STAMP)
	DERIVE_FUZZ_SCALE=20 $(VENV)/bin/pytest -q -p no:randomly tests/test_fuzz.py

clean:
	rm -rf $(VENV) build *.egg-info
