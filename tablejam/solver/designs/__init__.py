"""Zero-repeat golfer schedules from classical combinatorial designs."""
