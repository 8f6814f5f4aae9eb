"""The keys of the encrypted fields: ``hbm field_keys rotate`` re-encrypts every value with the
first key, ``hbm field_keys generate`` makes a new key (docs/operations/field-keys.md)."""
