"""The exercises, one module per exercise; each module registers its builder with ``@exercise``.

For training only, not for treating patients.  Every expected answer is computed
through :mod:`itbcore`; the modules only choose the case and word the feedback.
"""
