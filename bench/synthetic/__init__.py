"""Generated test data for the benchmarks (not a benchmark itself)."""
