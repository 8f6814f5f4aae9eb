"""The demo scenario: north-eastern DR Congo's borders with Uganda, South Sudan and the CAR."""
