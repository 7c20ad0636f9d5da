"""cxbench: customer-experience benchmarks from raw survey deliveries."""

from cxbench.allocator import keep_freed_pages

keep_freed_pages()  # before any module imports polars
