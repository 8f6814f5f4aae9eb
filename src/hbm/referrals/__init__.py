"""Referrals: the service directory, referral pathways, and referrals followed to completion."""
