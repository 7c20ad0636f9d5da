"""cxbench: customer-experience benchmarks from raw survey deliveries."""
