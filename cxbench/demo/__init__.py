"""The demo landing set behind `cxbench demo-data`: synthetic, calibrated survey files."""

from cxbench.demo.writer import write_demo_landing

__all__ = ["write_demo_landing"]
