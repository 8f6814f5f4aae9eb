"""Every write of hbm.collect, one module per area: ``forms``, ``credentials``,
``submissions``."""
