"""Pure engines: plain Python (numpy and the standard library only) that import no Django."""
