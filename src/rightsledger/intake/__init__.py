"""Turning outside material (the catalogue's sourced facts, scenarios, files) into
ledger evidence."""

from .catalogue_evidence import baseline_observations, citation_sources

__all__ = ["baseline_observations", "citation_sources"]
