"""Everything about the broker: typed clients, models, OCC symbols, and the simulator."""
