"""The dashboard page served at /__admin/ui (plain HTML and JavaScript, no build step)."""
