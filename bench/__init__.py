"""Benchmarks of the ITB training suite, run on demand: ``python3 tasks.py bench`` (or ``python -m bench``)."""
