"""Read use cases for the web pages and the API, composed over the Ledger façade."""
