"""The catalogue: providers and services, their rules, import and export."""
