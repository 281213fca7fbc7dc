"""Bank statements of the city's account (RKUD): files read (CSV in the documented layout,
MT940 through the ``mt-940`` library), checked, and imported all or nothing."""

from .importing import statement_import
from .reading import StatementRefused

__all__ = ["StatementRefused", "statement_import"]
