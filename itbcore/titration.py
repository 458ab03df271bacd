"""itbcore.titration (being written)."""
__all__: list[str] = []
