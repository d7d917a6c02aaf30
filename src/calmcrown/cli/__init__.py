"""The command line: a thin face over the catalog, screening, planner and guide."""
