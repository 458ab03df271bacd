"""itbcore.scenarios (being written)."""
__all__: list[str] = []
