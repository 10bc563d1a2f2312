"""App-wide pages (home, health), security headers and error pages."""
