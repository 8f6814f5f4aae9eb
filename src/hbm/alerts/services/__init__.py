"""Every write of the early-warning app: alerts raised by the detectors (``detection``), the
coordinators' actions on them (``alerts``), the notices sent (``notify``)."""
