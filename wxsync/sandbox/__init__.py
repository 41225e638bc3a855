"""A local emulator of Xero (identity + Accounting API) and Wisenet v1, seeded with a demo organisation."""
