"""Staff screens for casework, one module per screen group (STYLE.md §1)."""
