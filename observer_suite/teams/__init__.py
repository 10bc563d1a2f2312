"""Teams: pairing observers, forming and changing teams, areas of responsibility."""
