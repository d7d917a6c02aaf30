"""Is the practice helping? The diary's answer, with its uncertainty and its caveats.

Plain Python on numpy, SciPy and statsmodels: nothing here reads a database, draws a
page or parses a command line. ``analysis.analyze`` is the entry point; docs/insight.md
explains every figure in plain words.
"""
