"""JSON API, versioned under /<gebied>/api/v1/."""
