.DEFAULT_GOAL := check
.PHONY: setup demo test lint fmt typecheck docs check serve

setup:
	bash scripts/setup.sh

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/ruff format --check src tests benchmarks

fmt: setup
	.venv/bin/ruff format src tests benchmarks
	.venv/bin/ruff check --fix src tests benchmarks

typecheck: setup
	.venv/bin/mypy

docs: setup
	.venv/bin/cog -r docs/cli.md

check: test

serve:
	@echo "The web application arrives with issue 7; use 'make demo' and open the scorecard."
