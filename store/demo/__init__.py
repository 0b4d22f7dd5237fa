"""A realistic, deterministic synthetic book for demos, tests and benchmarks."""

from store.demo.book import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]
