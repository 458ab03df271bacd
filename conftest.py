"""Import the three packages before pytest collects their modules' doctests.

For training only, not for treating patients.

With ``--import-mode=importlib`` pytest imports a module it collects (``widgets/fields.py``) by its file unless
that name is already in ``sys.modules``; it first imports the parent package, whose ``__init__`` imports the
module itself, and then imports the file a second time.  Two ``widgets.fields`` modules mean two
``QuantityField`` classes, and the apps built after the doctest no longer recognise their fields (ten widget
tests failed when ``widgets/fields.py`` was collected first).  Importing the packages here, before collection,
leaves pytest one module to reuse.
"""

import exercises  # noqa: F401
import itbcore  # noqa: F401
import widgets  # noqa: F401
