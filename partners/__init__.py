"""The partner finder: which organisations could share a service with this one, and why.

`partners.engine` is the pure matching engine (numpy and the standard library, no Django).
"""
