"""Terminal adapter: one person plays field user and L1/L2/L3 staff in the same terminal."""
