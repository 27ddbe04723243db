"""Models of this area are added as it is built."""
