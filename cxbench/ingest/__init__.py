"""Ingest: survey deliveries in landing/ become validated warehouse rows with an audit trail."""
