"""The web app's routes, one module per area of the app."""
