"""cib: detect coordinated inauthentic behaviour in dumps of social media posts."""

from cib.config import ScanConfig
from cib.errors import CibError, ConfigError, InputError, SchemaError, StoreVersionError

__version__ = "0.1.0"

__all__ = [
    "CibError",
    "ConfigError",
    "InputError",
    "ScanConfig",
    "SchemaError",
    "StoreVersionError",
    "__version__",
]
