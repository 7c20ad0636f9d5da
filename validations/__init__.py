"""Data contracts of cxbench: what a survey row must satisfy before it enters the warehouse."""
