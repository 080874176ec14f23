"""Read-side queries (one module per feature) that feed pages, charts and the admin."""
