"""Benchmarks of the engine over generated suites; run ``python -m benchmarks.harness --help``."""
