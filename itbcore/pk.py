"""itbcore.pk (being written)."""
__all__: list[str] = []
