"""Verification: the pending -> verified / rejected decision a region's coordinator (or an admin)
makes about something registered in the region: shops and buyer organisations. One set of
columns (:class:`Verifiable`) and one service (:func:`decide`), so both behave alike."""
