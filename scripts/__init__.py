"""Helper scripts; ``scripts.throwaway`` is also imported by the tests and benchmarks."""
