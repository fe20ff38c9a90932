"""claimpress inside MkDocs: the plugin (`plugins: [claimpress]`, registered as an entry point)."""
from .plugin import ClaimpressConfig, ClaimpressPlugin

__all__ = ("ClaimpressConfig", "ClaimpressPlugin")
