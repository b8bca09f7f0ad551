"""The catalogue: benchmarks, indicators, facilities, agreements and sanctions
conditions as YAML data, validated on load into ``rightsledger.domain`` values.

The North Korea catalogue ships in ``data/nk``; any folder with the same six
files can be loaded and checked (see docs/catalogue.md).
"""

from .loader import default_catalogue_path, load_catalogue, parse_catalogue

__all__ = ["default_catalogue_path", "load_catalogue", "parse_catalogue"]
