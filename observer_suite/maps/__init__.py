"""Maps served inside the suite: incidents, findings by area, area boundaries."""
