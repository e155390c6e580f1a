"""``python -m genai_kg`` runs the command line."""

from .cli import main

main(prog_name="genai-kg")
