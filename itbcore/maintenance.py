"""itbcore.maintenance (being written)."""
__all__: list[str] = []
