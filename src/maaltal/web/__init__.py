"""The dashboard: ``maaltal serve``'s web application on the committee report model (see :mod:`.app`)."""
