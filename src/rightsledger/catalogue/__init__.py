"""The catalogue: benchmarks, indicators, facilities, agreements and sanctions
conditions as YAML data, validated on load into ``rightsledger.domain`` values.

The North Korea catalogue ships in ``data/nk``; any folder with the same six
files can be loaded and checked (see docs/catalogue.md). An optional
``matching.yaml`` holds the words that tie deal texts to the benchmarks
(``load_matching``; see docs/agreements.md).
"""

from .loader import default_catalogue_path, load_catalogue, parse_catalogue
from .matching import load_matching, parse_matching

__all__ = [
    "default_catalogue_path",
    "load_catalogue",
    "load_matching",
    "parse_catalogue",
    "parse_matching",
]
