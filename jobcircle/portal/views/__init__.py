"""Public, resident (社区快聘 H5) and employer-portal screens. No models: they call the domain services."""
