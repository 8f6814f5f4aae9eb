"""Security screening: watchlists checked at every registration; hits reviewed in a
compartment that only security officers see. A hit never blocks protection or referral."""
