"""The Typer command line: parse, call the core, render. No business logic here."""
