"""A randomised personal (n-of-1) trial: its design and seeded allocation, the analysis
of its periods, and what a design can find (its power).

Pure domain code on numpy, SciPy and statsmodels; docs/insight.md ("Personal trial")
says in plain words what each part does.
"""
