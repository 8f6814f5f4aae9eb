"""Accounts: agencies, users, roles, assigned crossing points and device tokens."""
