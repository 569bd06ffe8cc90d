"""alto: the command-line toolkit and library for ALTO instructions."""

__version__ = "0.1.0"
