"""Re-planning on the day: the changed event (`change`, plain Python) and its new schedule (`solve`, the engine)."""
