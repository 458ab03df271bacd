"""``python -m launcher``: serve the suite (see :mod:`launcher`)."""

from launcher.app import main

if __name__ == "__main__":
    main()
