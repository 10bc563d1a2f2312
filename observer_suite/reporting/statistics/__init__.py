"""Election-day statistics: aggregated in SQL into one plain-data `ElectionDayStats`."""
