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

GRAD_EXAMPLE := $(VENV)/bin/derive grad output/grad/residual_block.txt --latex output/grad/residual_block.tex \
	--emit-numpy output/grad/residual_block_grad.py

solutions: $(STAMP) tex
	@if command -v pdflatex >/dev/null 2>&1 && command -v latexmk >/dev/null 2>&1; then \
		$(VENV)/bin/derive build --out output && $(GRAD_EXAMPLE) --pdf >/dev/null; \
	else \
		echo "TeX is missing: writing output/solutions.tex only"; \
		$(VENV)/bin/derive build --out output --no-pdf && $(GRAD_EXAMPLE) >/dev/null; \
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
