"""itbcore.overdose (being written)."""
__all__: list[str] = []
