"""Tools around the engine: `init` (a first instance file), `compare` (settings side by side), `generate`."""
